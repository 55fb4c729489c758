import NetLabCore

extension GroupingRun {
    /// The next connection of `flow`, spreading its traffic over replicas round-robin (as an IPVS
    /// Service with the `rr` scheduler does; stated in docs/topology.md).
    mutating func nextConnectionOf(flow: Int) -> Int {
        let list = flowConnections[flow]
        let connection = list[nextConnection[flow] % list.count]
        nextConnection[flow] &+= 1
        return Int(connection)
    }

    mutating func openArrival<Queue: EventQueue>(flow: Int, _ simulation: inout Simulation<Queue>) {
        let pattern = topology.flows[flow].pattern
        let interval: Distribution
        switch pattern {
        case .rpc(let rpc):
            guard case .open(let gaps) = rpc.arrivals else { return }
            interval = gaps
        case .oneway(_, .open(let gaps)): interval = gaps
        default: return
        }
        let next = simulation.now + Self.drawDuration(interval, &arrivalStreams[flow])
        if next < end { simulation.schedule(EventAction(kind: EventKind.arrival.rawValue, target: UInt32(flow)), at: next) }
        switch pattern {
        case .rpc: startCall(flow: flow, caller: -1, &simulation)
        case .oneway(let size, _):
            let bytes = Self.drawBytes(size, &requestStreams[flow])
            offer(flow: flow, bytes: bytes, now: simulation.now)
            sendMessage(kind: .oneway, flow: flow, connection: nextConnectionOf(flow: flow), call: -1, bytes: bytes, &simulation)
        case .stream, .replayed: break
        }
    }

    /// Starts an rpc call: draws its sizes and server time, sends the request.
    mutating func startCall<Queue: EventQueue>(flow: Int, caller: Int, _ simulation: inout Simulation<Queue>) {
        guard case .rpc(let rpc) = topology.flows[flow].pattern else { return }
        let request: Int64, response: Int64, serverTime: SimDuration
        if caller >= 0 {
            request = Self.drawBytes(rpc.request, &callerStreams[flow][caller])
            response = Self.drawBytes(rpc.response, &callerStreams[flow][caller])
            serverTime = Self.drawDuration(rpc.serverTime, &callerStreams[flow][caller])
        } else {
            request = Self.drawBytes(rpc.request, &requestStreams[flow])
            response = Self.drawBytes(rpc.response, &responseStreams[flow])
            serverTime = Self.drawDuration(rpc.serverTime, &serverStreams[flow])
        }
        let connection = nextConnectionOf(flow: flow)
        offer(flow: flow, bytes: request + response, now: simulation.now)
        let handle = calls.insert(Call(flow: Int32(flow), caller: Int32(caller), connection: Int32(connection), start: simulation.now,
                                       requestBytes: request, responseBytes: response, serverTime: serverTime.picoseconds))
        sendMessage(kind: .request, flow: flow, connection: connection, call: handle, bytes: request, &simulation)
    }

    /// The application hands `bytes` to its transport: the send system call and copy on the
    /// sender's CPU, then the transport takes over.
    mutating func sendMessage<Queue: EventQueue>(
        kind: Message.Kind, flow: Int, connection: Int, call: Int32, bytes: Int64, fromServer: Bool = false,
        _ simulation: inout Simulation<Queue>
    ) {
        let link = connections[connection]
        let reverse = kind == .response || fromServer
        let (sender, receiver) = reverse ? (link.server, link.client) : (link.client, link.server)
        let handle = messages.insert(Message(kind: kind, fromServer: reverse, flow: Int32(flow), connection: Int32(connection), call: call,
                                             start: simulation.now, bytes: bytes, remainingPackets: 0, lost: false, receiver: Int32(receiver)))
        if kind == .chunk { halves[connection * 2].bufferedBytes += bytes }
        let p = profile
        let fixed: SimDuration
        switch link.transport {
        case .tcp, .udp: fixed = p.socketSend
        case .uds: fixed = p.udsSend
        case .pipe: fixed = p.pipeWrite
        case .shm: fixed = p.shmWrite
        }
        let cost = fixed.picoseconds + bytes * p.copyPerByte.picoseconds
        submitWork(node: endpoints[sender].node, duration: cost, endpoint: sender,
                   then: EventAction(kind: EventKind.sendDone.rawValue, argument: UInt64(handle)), &simulation)
    }

    /// The send call returned: the bytes are in the transport.
    mutating func messageSent<Queue: EventQueue>(_ handle: Int32, _ simulation: inout Simulation<Queue>) {
        let message = messages[handle]
        let connection = Int(message.connection)
        let link = connections[connection]
        let direction = message.fromServer ? 1 : 0
        switch link.transport {
        case .tcp:
            let half = connection * 2 + direction
            halves[half].unsent.append((handle, message.bytes))
            if message.kind != .chunk { halves[half].bufferedBytes += message.bytes }
            trySend(half: half, &simulation)
        case .udp:
            let payload = link.segmentPayload
            let datagrams = (message.bytes + payload - 1) / payload
            messages[handle].remainingPackets = Int32(datagrams)
            var left = message.bytes
            for _ in 0..<datagrams {
                let size = min(payload, left)
                left -= size
                let ip = size + Int64(Headers.ipv4 + Headers.udp)
                launch(Packet(flow: message.flow, half: -1, segment: Int64(handle), cumulative: 0, ipBytes: Int32(ip),
                              wireBytes: wireBytes(ip: ip, link), isAck: false, pathStart: 0, pathCount: 0, hop: -1),
                       connection: connection, direction: direction, &simulation)
            }
        case .uds, .pipe, .shm:
            messages[handle].remainingPackets = 1
            launch(Packet(flow: message.flow, half: -1, segment: Int64(handle), cumulative: 0, ipBytes: Int32(clamping: message.bytes),
                          wireBytes: 0, isAck: false, pathStart: 0, pathCount: 0, hop: -1),
                   connection: connection, direction: direction, &simulation)
        }
    }

    /// Bytes a packet of `ip` bytes occupies on a physical link of `link`'s path.
    func wireBytes(ip: Int64, _ link: Connection) -> Int32 {
        Int32(max(Int64(Headers.minimumFrame), ip + Int64(Headers.ethernet) + Int64(link.overlayBytes)) + Int64(Headers.wireOverhead))
    }

    /// Puts a new packet on the path of `connection` in `direction` (0: client to server).
    mutating func launch<Queue: EventQueue>(_ packet: Packet, connection: Int, direction: Int, _ simulation: inout Simulation<Queue>) {
        var packet = packet
        let link = connections[connection]
        packet.pathStart = direction == 0 ? link.pathStart.0 : link.pathStart.1
        packet.pathCount = direction == 0 ? link.pathCount.0 : link.pathCount.1
        packet.laneStart = link.laneBase + (direction == 0 ? 0 : Int32(link.pathCount.0))
        packet.hop = -1
        advance(packet: packets.insert(packet), &simulation)
    }

    /// All of a message has arrived: the receiver is woken if it slept, and reads it.
    mutating func beginReceive<Queue: EventQueue>(message handle: Int32, _ simulation: inout Simulation<Queue>) {
        let message = messages[handle]
        let receiver = Int(message.receiver)
        let transport = connections[Int(message.connection)].transport
        let p = profile
        let fixed: SimDuration
        let blocks: Bool
        switch transport {
        case .tcp, .udp: (fixed, blocks) = (p.socketReceive, !p.socketsPoll)
        case .uds: (fixed, blocks) = (p.udsReceive, !p.socketsPoll)
        case .pipe: (fixed, blocks) = (p.pipeRead, !p.socketsPoll)
        case .shm: (fixed, blocks) = (p.shmRead, !p.shmPolls)
        }
        let wakeup = blocks && endpoints[receiver].activeWork == 0 ? p.wakeup.picoseconds : 0
        let cost = wakeup + fixed.picoseconds + message.bytes * p.copyPerByte.picoseconds
        submitWork(node: endpoints[receiver].node, duration: cost, endpoint: receiver,
                   then: EventAction(kind: EventKind.receiveDone.rawValue, argument: UInt64(handle)), &simulation)
    }

    /// The receiver has the whole message.
    mutating func messageReceived<Queue: EventQueue>(_ handle: Int32, _ simulation: inout Simulation<Queue>) {
        let message = messages[handle]
        freeMessage(handle)
        let flow = Int(message.flow)
        switch message.kind {
        case .replayed:
            record(flow: flow, start: message.start, bytes: message.bytes, now: simulation.now)
            if reportsDeliveries {
                replayDeliveries.append((conversation: message.call, fromServer: message.fromServer, bytes: message.bytes, time: simulation.now))
                simulation.stop()
            }
        case .oneway, .chunk:
            record(flow: flow, start: message.start, bytes: message.bytes, now: simulation.now)
            if message.kind == .chunk, message.start < warmupEnd, simulation.now >= warmupEnd {
                // A stream's throughput counts every byte delivered in the window, including
                // chunks written during the warm-up (its send buffer holds several).
                tallies[flow].bytes += message.bytes
            }
            if message.kind == .chunk, connections[Int(message.connection)].transport != .tcp {
                halves[Int(message.connection) * 2].bufferedBytes -= message.bytes
                refillStream(connection: Int(message.connection), &simulation)
            }
        case .request:
            let call = calls[message.call]
            let server = connections[Int(call.connection)].server
            submitWork(node: endpoints[server].node, duration: call.serverTime, endpoint: server,
                       then: EventAction(kind: EventKind.serverDone.rawValue, argument: UInt64(message.call)), &simulation)
        case .response:
            let call = calls[message.call]
            calls.remove(message.call)
            record(flow: flow, start: call.start, bytes: call.requestBytes + message.bytes, now: simulation.now)
            if call.caller >= 0, case .rpc(let rpc) = topology.flows[flow].pattern, case .closed(_, let think) = rpc.arrivals {
                let next = simulation.now + Self.drawDuration(think, &callerStreams[flow][Int(call.caller)])
                if next < end {
                    simulation.schedule(EventAction(kind: EventKind.callerStart.rawValue, target: UInt32(flow), argument: UInt64(call.caller)), at: next)
                }
            }
        }
    }

    mutating func sendResponse<Queue: EventQueue>(call handle: Int32, _ simulation: inout Simulation<Queue>) {
        let call = calls[handle]
        sendMessage(kind: .response, flow: Int(call.flow), connection: Int(call.connection), call: handle, bytes: call.responseBytes, &simulation)
    }

    /// Counts traffic the application starts inside the measured window, finished or not.
    mutating func offer(flow: Int, bytes: Int64, now: SimTime) {
        guard now >= warmupEnd else { return }
        tallies[flow].offeredMessages += 1
        tallies[flow].offeredBytes += bytes
    }

    /// Counts a completed message or call that started inside the measured window.
    mutating func record(flow: Int, start: SimTime, bytes: Int64, now: SimTime) {
        guard start >= warmupEnd else { return }
        tallies[flow].messages += 1
        tallies[flow].bytes += bytes
        tallies[flow].latency.record(picoseconds: (now - start).picoseconds)
    }

    mutating func freeMessage(_ handle: Int32) {
        messages.remove(handle)
    }

    /// Keeps a stream's send buffer full: the application writes 64 KiB chunks while fewer than
    /// 256 KiB are written and unacknowledged, until the stream's size is reached.
    mutating func refillStream<Queue: EventQueue>(connection: Int, _ simulation: inout Simulation<Queue>) {
        let flow = connections[connection].flow
        guard case .stream = topology.flows[flow].pattern else { return }
        while halves[connection * 2].bufferedBytes < Self.streamSendBuffer, streamBytesLeft[flow] > 0, simulation.now < end {
            let chunk = min(Self.streamChunk, streamBytesLeft[flow])
            streamBytesLeft[flow] -= chunk
            offer(flow: flow, bytes: chunk, now: simulation.now)
            sendMessage(kind: .chunk, flow: flow, connection: connection, call: -1, bytes: chunk, &simulation)
        }
    }
}
