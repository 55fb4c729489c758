import NetLabCore

extension GroupingRun {
    /// The next connection of `flow`, spreading its traffic over replicas round-robin (as an IPVS
    /// Service with the `rr` scheduler does; stated in docs/topology.md).
    @inline(__always)
    mutating func nextConnectionOf(flow: Int) -> Int {
        let list = flowConnections[flow]
        let connection = Int(list.lowerBound) + nextConnection[flow] % list.count
        nextConnection[flow] &+= 1
        return connection
    }

    /// The next message (oneway) or call (rpc) of an open-loop flow, and the one after scheduled.
    mutating func openArrival<Queue: EventQueue>(flow: Int, _ simulation: inout Simulation<Queue>) {
        guard let interval = openIntervals[flow] else {
            // A stream with a start time: this is its start.
            if case .stream = topology.flows[flow].pattern { startStream(flow: flow, &simulation) }
            return
        }
        let constantGap = constantGaps[flow]
        let gap =
            constantGap >= 0
            ? SimDuration(picoseconds: constantGap) : Self.drawDuration(interval, &streams[flow, .arrivals])
        let next = simulation.now + gap
        if next < end {
            simulation.schedule(EventAction(kind: EventKind.arrival.rawValue, target: UInt32(flow)), at: next)
        }
        guard messages.liveCount + calls.liveCount < topology.backlogLimit else {
            refuseArrival(flow: flow, now: simulation.now)
            return
        }
        if onewaySizeIndex[flow] >= 0 {
            let size = onewaySizes[Int(onewaySizeIndex[flow])]
            let constantSize = constantSizes[flow]
            let bytes = constantSize >= 0 ? constantSize : Self.drawBytes(size, &streams[flow, .requests])
            offer(flow: flow, bytes: bytes, now: simulation.now)
            sendMessage(
                kind: .oneway, flow: flow, connection: nextConnectionOf(flow: flow), call: -1, bytes: bytes, &simulation
            )
        } else {
            startCall(flow: flow, caller: -1, &simulation)
        }
    }

    /// An arrival past the backlog limit: offered, not sent, counted as lost.
    mutating func refuseArrival(flow: Int, now: SimTime) {
        if tallies[flow].refusedArrivals == 0 { tallies[flow].firstRefusal = now }
        tallies[flow].refusedArrivals += 1
        guard now >= warmupEnd else { return }
        tallies[flow].offeredMessages += 1
        tallies[flow].lostMessages += 1
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
            request = Self.drawBytes(rpc.request, &streams[flow, .requests])
            response = Self.drawBytes(rpc.response, &streams[flow, .responses])
            serverTime = Self.drawDuration(rpc.serverTime, &streams[flow, .serverTimes])
        }
        let connection = nextConnectionOf(flow: flow)
        offer(flow: flow, bytes: request + response, now: simulation.now)
        let handle = calls.insert(
            Call(
                flow: Int32(flow), caller: Int32(caller), connection: Int32(connection), start: simulation.now,
                requestBytes: request, responseBytes: response, serverTime: serverTime.picoseconds))
        beginTimes(ofCall: handle, at: simulation.now)
        if connections[connection].perCall {
            sendHandshake(call: handle, reply: false, &simulation)
            return
        }
        sendMessage(kind: .request, flow: flow, connection: connection, call: handle, bytes: request, &simulation)
    }

    /// The application hands `bytes` to its transport: when the buffer towards the reader has
    /// room (or is empty: a large write goes in pieces) the send system call and copy run on one of
    /// the sender's threads; otherwise the write waits for room, and the message's latency with it.
    mutating func sendMessage<Queue: EventQueue>(
        kind: Message.Kind, flow: Int, connection: Int, call: Int32, bytes: Int64, fromServer: Bool = false,
        wakesSender: Bool = false, _ simulation: inout Simulation<Queue>
    ) {
        let link = connections[connection]
        let reverse = kind == .response || fromServer
        let receiver = reverse ? link.client : link.server
        let handle = messages.insert(
            Message(
                kind: kind, fromServer: reverse, flow: Int32(flow), connection: Int32(connection), call: call,
                start: simulation.now, bytes: bytes, remainingPackets: 0, lost: false, receiver: Int32(receiver)))
        beginTimes(ofMessage: handle, at: simulation.now, call: kind == .request || kind == .response ? call : -1)
        let half = connection * 2 + (reverse ? 1 : 0)
        guard queues(ofHalf: half).blockedWrites.isEmpty, sendBufferHasRoom(half: half, for: bytes) else {
            rings.blockedWrites.append(handle, to: &halfQueues.sets[queueSlot(ofHalf: half)].blockedWrites)
            return
        }
        chargeSendBuffer(half: half, bytes: bytes)
        startWrite(handle, wokenFromBlock: wakesSender, &simulation)
    }

    /// Whether a write of `bytes` goes ahead now. A stream or IPC buffer takes a write that fits
    /// (or any write when empty: a large one goes in pieces); a UDP socket takes any datagram
    /// while its socket memory is below the send buffer, as Linux allocates it.
    @inline(__always)
    func sendBufferHasRoom(half: Int, for bytes: Int64) -> Bool {
        let connection = connections[half / 2]
        let buffered = halves[half].bufferedBytes
        if connection.transport == .udp { return buffered < connection.sendBuffer }
        return buffered == 0 || buffered + bytes <= connection.sendBuffer
    }

    /// A write of `bytes` takes its room: a stream or IPC buffer the bytes until read (or
    /// acknowledged); a UDP socket, at the start of the send call as Linux allocates it, the
    /// socket memory of every packet until each leaves the sender's stack.
    mutating func chargeSendBuffer(half: Int, bytes: Int64) {
        let connection = connections[half / 2]
        if connection.transport != .udp {
            halves[half].bufferedBytes += bytes
        } else if connection.sendBuffer < .max {
            halves[half].bufferedBytes += datagramFootprint(bytes: bytes, connection).memory
        }
    }

    /// A UDP datagram has left its sender's stack: its socket memory is free again, and writers
    /// that slept for it go on.
    mutating func datagramLeftSender<Queue: EventQueue>(_ packet: Packet, _ simulation: inout Simulation<Queue>) {
        let message = messages[Int32(packet.segment)]
        let half = Int(message.connection) * 2 + (message.fromServer ? 1 : 0)
        guard connections[half / 2].transport == .udp, connections[half / 2].sendBuffer < .max else { return }
        halves[half].bufferedBytes -= Int64(packet.ipBytes) + Headers.socketBufferOverhead
        admitBlockedWrites(half: half, &simulation)
    }

    /// Writes that waited for room in `half`'s send buffer go ahead, in order, while room lasts.
    mutating func admitBlockedWrites<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        while let handle = rings.blockedWrites.first(of: queues(ofHalf: half).blockedWrites) {
            let bytes = messages[handle].bytes
            guard sendBufferHasRoom(half: half, for: bytes) else { return }
            _ = rings.blockedWrites.removeFirst(from: &halfQueues.sets[Int(halves[half].queues)].blockedWrites)
            chargeSendBuffer(half: half, bytes: bytes)
            startWrite(handle, wokenFromBlock: true, &simulation)
        }
        releaseQueuesIfIdle(half: half)
    }

    /// The send system call and the copy, on a thread of the sender; a writer that slept waiting
    /// for room is woken first.
    mutating func startWrite<Queue: EventQueue>(
        _ handle: Int32, wokenFromBlock: Bool = false, _ simulation: inout Simulation<Queue>
    ) {
        // A write that waited for room in the send buffer waited in the transport.
        if wokenFromBlock { messageTimes[Int(handle)].charge(.transport, until: simulation.now) }
        let message = messages[handle]
        let link = connections[Int(message.connection)]
        let sender = message.fromServer ? link.server : link.client
        let cold = coldCopyCost(half: Int(message.connection) * 2 + (message.fromServer ? 1 : 0), bytes: message.bytes)
        let cost = sendCallCost(link.transport, bytes: message.bytes)
        let wakeup = wokenFromBlock ? wakeupCost(of: sender, on: link.transport, now: simulation.now) : 0
        messageTimes[Int(handle)].plan(work: wakeup + cost + cold, wakeup: wakeup)
        submitWork(
            node: endpoints[sender].node, duration: wakeup + cost + cold, endpoint: sender,
            then: EventAction(kind: EventKind.sendDone.rawValue, argument: UInt64(handle)), &simulation)
    }

    /// Whether a connection's path takes no time at all: no link, and no CPU cost for sending,
    /// the kernel's hops or receiving (the `ideal` profile inside one node).
    func costsNothing(connection index: Int) -> Bool {
        let connection = connections[index]
        return connection.instant && sendCallCost(connection.transport, bytes: Self.streamChunk) == 0
            && receiveCallCost(connection.transport, bytes: Self.streamChunk) == 0
    }

    /// The send system call and the copy of `bytes` into the kernel (or the shared buffer).
    func sendCallCost(_ transport: Transport, bytes: Int64) -> Int64 {
        callCost(transport, bytes: bytes, sending: true)
    }

    /// The receive system call and the copy of `bytes` out of the kernel (or the shared buffer).
    func receiveCallCost(_ transport: Transport, bytes: Int64) -> Int64 {
        callCost(transport, bytes: bytes, sending: false)
    }

    private func callCost(_ transport: Transport, bytes: Int64, sending: Bool) -> Int64 {
        let p = profile
        let calls: Int64, call: SimDuration, perByte: SimDuration
        switch transport {
        case .tcp: (calls, call, perByte) = (1, sending ? p.socketSend : p.socketReceive, p.copyPerByte)
        case .udp:
            // One call per datagram of at most 65,507 bytes.
            (calls, call, perByte) = (
                (bytes + Headers.largestDatagram - 1) / Headers.largestDatagram, sending ? p.udpSend : p.udpReceive,
                p.copyPerByte
            )
        case .uds, .udsDatagram: (calls, call, perByte) = (1, sending ? p.udsSend : p.udsReceive, p.udsCopyPerByte)
        case .pipe: (calls, call, perByte) = (1, sending ? p.pipeWrite : p.pipeRead, p.pipeCopyPerByte)
        case .shm: (calls, call, perByte) = (1, sending ? p.shmWrite : p.shmRead, p.shmCopyPerByte)
        }
        return calls * call.picoseconds + bytes * perByte.picoseconds
    }

    /// The extra cost of copying `bytes` from memory rather than cache: charged when more than
    /// the profile's `cache_bytes` wait between the writer and the reader of `half`.
    @inline(__always)
    func coldCopyCost(half: Int, bytes: Int64) -> Int64 {
        halves[half].bufferedBytes > profile.cacheBytes ? bytes * profile.coldCopyPerByte.picoseconds : 0
    }

    /// The send call returned: the bytes are in the transport.
    mutating func messageSent<Queue: EventQueue>(_ handle: Int32, _ simulation: inout Simulation<Queue>) {
        Self.charge(finishedWork, to: &messageTimes[Int(handle)], as: .send, now: simulation.now)
        messages[handle].writerCore = currentCore
        let message = messages[handle]
        let connection = Int(message.connection)
        let link = connections[connection]
        let direction = message.fromServer ? 1 : 0
        switch link.transport {
        case .tcp:
            let half = connection * 2 + direction
            rings.unsent.append((handle, message.bytes), to: &halfQueues.sets[queueSlot(ofHalf: half)].unsent)
            trySend(half: half, &simulation)
        case .udp:
            sendDatagrams(handle, link, connection: connection, direction: direction, &simulation)
        case .uds, .udsDatagram, .pipe, .shm:
            messages[handle].remainingPackets = 1
            launch(
                Packet(
                    flow: message.flow, half: -1, segment: Int64(handle), cumulative: 0,
                    ipBytes: Int32(clamping: message.bytes),
                    wireBytes: 0, isAck: false, pathStart: 0, pathCount: 0, hop: -1),
                connection: connection, direction: direction, &simulation)
        }
    }

    /// A UDP message as datagrams of at most 65,507 bytes, each cut into IP fragments at the
    /// path's MTU: one UDP header per datagram, fragments of a multiple of 8 bytes but the last.
    /// Losing any fragment loses the message.
    mutating func sendDatagrams<Queue: EventQueue>(
        _ handle: Int32, _ link: Connection, connection: Int, direction: Int, _ simulation: inout Simulation<Queue>
    ) {
        let message = messages[handle]
        messages[handle].remainingPackets = datagramFootprint(bytes: message.bytes, link).packets
        let largestIPPayload = link.segmentPayload + Int64(Headers.udp)
        let fragmentPayload = largestIPPayload & ~7
        var left = message.bytes
        repeat {
            let datagram = min(left, Headers.largestDatagram)
            left -= datagram
            var ipPayload = datagram + Int64(Headers.udp)
            let piece = ipPayload <= largestIPPayload ? ipPayload : fragmentPayload
            while ipPayload > 0 {
                let size = min(ipPayload, piece)
                ipPayload -= size
                let ip = size + Int64(Headers.ipv4)
                launch(
                    Packet(
                        flow: message.flow, half: -1, segment: Int64(handle), cumulative: 0, ipBytes: Int32(ip),
                        wireBytes: wireBytes(ip: ip, link), isAck: false, pathStart: 0, pathCount: 0, hop: -1),
                    connection: connection, direction: direction, &simulation)
            }
        } while left > 0
    }

    /// The packets a UDP message of `bytes` travels as on `link`'s path (see
    /// ``sendDatagrams(_:_:connection:direction:_:)``), and the socket memory they hold while in
    /// the sender's stack: each packet its IP bytes and Linux's per-buffer overhead.
    @inline(__always)
    func datagramFootprint(bytes: Int64, _ link: Connection) -> (packets: Int32, memory: Int64) {
        let largestIPPayload = link.segmentPayload + Int64(Headers.udp)
        let fragmentPayload = largestIPPayload & ~7
        var packets: Int64 = 0
        var ipBytes: Int64 = 0
        var left = bytes
        repeat {
            let datagram = min(left, Headers.largestDatagram)
            left -= datagram
            let ipPayload = datagram + Int64(Headers.udp)
            let pieces = ipPayload <= largestIPPayload ? 1 : (ipPayload + fragmentPayload - 1) / fragmentPayload
            packets += pieces
            ipBytes += ipPayload + pieces * Int64(Headers.ipv4)
        } while left > 0
        return (Int32(clamping: packets), ipBytes + packets * Headers.socketBufferOverhead)
    }

    /// Bytes a packet of `ip` bytes occupies on a physical link of `link`'s path.
    @inline(__always)
    func wireBytes(ip: Int64, _ link: Connection) -> Int32 {
        Int32(
            max(Int64(Headers.minimumFrame), ip + Int64(Headers.ethernet) + Int64(link.overlayBytes))
                + Int64(Headers.wireOverhead))
    }

    /// Puts a new packet on the path of `connection` in `direction` (0: client to server).
    mutating func launch<Queue: EventQueue>(
        _ packet: Packet, connection: Int, direction: Int, _ simulation: inout Simulation<Queue>
    ) {
        var packet = packet
        let link = connections[connection]
        packet.pathStart = direction == 0 ? link.pathStart.0 : link.pathStart.1
        packet.pathCount = direction == 0 ? link.pathCount.0 : link.pathCount.1
        packet.laneStart = link.laneBase + (direction == 0 ? 0 : Int32(link.pathCount.0))
        packet.hop = -1
        let handle = packets.insert(packet)
        if packet.tracked { beginJourney(of: handle, at: simulation.now) }
        guard link.instant else {
            advance(packet: handle, &simulation)
            return
        }
        // On a path where nothing costs time a packet arrives within this call, and its answer
        // within that one: past a few levels the next step waits for the event loop, so the stack
        // stays flat.
        guard inlineDepth < Self.deepestInlineChain else {
            simulation.schedule(
                EventAction(kind: EventKind.resumePacket.rawValue, argument: UInt64(handle)), after: .zero)
            return
        }
        inlineDepth += 1
        advance(packet: handle, &simulation)
        inlineDepth -= 1
    }

    /// All of a message has arrived: a UDP datagram is queued on the socket if its receive
    /// buffer has room (else dropped and counted); the receiver is woken if it slept, and reads it.
    mutating func beginReceive<Queue: EventQueue>(message handle: Int32, _ simulation: inout Simulation<Queue>) {
        let message = messages[handle]
        let receiver = Int(message.receiver)
        let link = connections[Int(message.connection)]
        if link.transport == .udp {
            let half = Int(message.connection) * 2 + (message.fromServer ? 1 : 0)
            let memory = message.bytes + Headers.socketBufferOverhead
            guard halves[half].receiveQueueBytes + memory <= link.receiveBuffer else {
                if message.start >= warmupEnd { tallies[link.flow].droppedPackets += 1 }
                messageLost(handle, &simulation)
                freeMessage(handle)
                return
            }
            halves[half].receiveQueueBytes += memory
        }
        // Time since the message's last packet arrived: waiting for earlier TCP data to be
        // delivered in order (other transports deliver on arrival).
        if link.transport == .tcp { messageTimes[Int(handle)].charge(.recovery, until: simulation.now) }
        let cost = receiveCallCost(link.transport, bytes: message.bytes)
        let cold = coldCopyCost(half: Int(message.connection) * 2 + (message.fromServer ? 1 : 0), bytes: message.bytes)
        var wakeup = wakeupCost(of: receiver, on: link.transport, now: simulation.now)
        var preferred = -1
        if wakeup > 0, link.pathClass.wakesSynchronously, profile.wakesOnWakerCore(link.transport) {
            preferred = affineCore(for: receiver)
            if preferred >= 0 { wakeup = contextSwitch(on: endpoints[receiver].node) }
        }
        messageTimes[Int(handle)].plan(work: wakeup + cost + cold, wakeup: wakeup)
        // Bytes that came from memory cost the same on every core; others cost more to copy on a
        // core other than the writer's.
        let remote = cold == 0 ? message.bytes * profile.remoteCopyPerByte.picoseconds : 0
        submitWork(
            node: endpoints[receiver].node, duration: wakeup + cost + cold, endpoint: receiver,
            then: EventAction(kind: EventKind.receiveDone.rawValue, argument: UInt64(handle)), preferredCore: preferred,
            dataCore: message.writerCore, remoteCopy: remote, &simulation)
    }

    /// The receiver has the whole message: room frees in the buffers it sat in.
    mutating func messageReceived<Queue: EventQueue>(_ handle: Int32, _ simulation: inout Simulation<Queue>) {
        Self.charge(finishedWork, to: &messageTimes[Int(handle)], as: .receive, now: simulation.now)
        let message = messages[handle]
        // Recorded first, while the message's stages are certainly its own (what follows may
        // start a message in its freed slot).
        switch message.kind {
        case .injected, .oneway, .chunk:
            record(
                flow: Int(message.flow), start: message.start, bytes: message.bytes, stagesOf: handle,
                now: simulation.now)
        case .response:
            let call = calls[message.call]
            record(
                flow: Int(message.flow), start: call.start, bytes: call.requestBytes + message.bytes, stagesOf: handle,
                now: simulation.now)
        case .request:
            callTimes[Int(message.call)] = messageTimes[Int(handle)]
        }
        freeMessage(handle)
        let flow = Int(message.flow)
        let connection = Int(message.connection)
        let half = connection * 2 + (message.fromServer ? 1 : 0)
        let transport = connections[connection].transport
        if transport == .udp {
            halves[half].receiveQueueBytes -= message.bytes + Headers.socketBufferOverhead
        } else if transport != .tcp {
            halves[half].bufferedBytes -= message.bytes
            admitBlockedWrites(half: half, &simulation)
        }
        switch message.kind {
        case .injected:
            if pausesOnDelivery {
                deliveries.append(
                    Delivery(
                        conversation: Int(message.call), fromServer: message.fromServer, bytes: message.bytes,
                        time: simulation.now))
                simulation.stop()
            }
        case .oneway, .chunk:
            if message.kind == .chunk, message.start < warmupEnd, simulation.now >= warmupEnd {
                // A stream's throughput counts every byte delivered in the window, including
                // chunks written during the warm-up (its send buffer holds several).
                tallies[flow].bytes += message.bytes
            }
            if message.kind == .chunk, transport != .tcp { refillStream(connection: connection, &simulation) }
        case .request:
            let call = calls[message.call]
            let server = connections[Int(call.connection)].server
            submitWork(
                node: endpoints[server].node, duration: call.serverTime, endpoint: server,
                then: EventAction(kind: EventKind.serverDone.rawValue, argument: UInt64(message.call)), &simulation)
        case .response:
            let call = calls[message.call]
            calls.remove(message.call)
            if call.caller >= 0 { scheduleNextCall(flow: flow, caller: Int(call.caller), &simulation) }
        }
    }

    /// A closed-loop caller thinks, then calls again.
    mutating func scheduleNextCall<Queue: EventQueue>(flow: Int, caller: Int, _ simulation: inout Simulation<Queue>) {
        guard case .rpc(let rpc) = topology.flows[flow].pattern, case .closed(_, let think) = rpc.arrivals else {
            return
        }
        let next = simulation.now + Self.drawDuration(think, &callerStreams[flow][caller])
        if next < end {
            simulation.schedule(
                EventAction(kind: EventKind.callerStart.rawValue, target: UInt32(flow), argument: UInt64(caller)),
                at: next)
        }
    }

    mutating func sendResponse<Queue: EventQueue>(call handle: Int32, _ simulation: inout Simulation<Queue>) {
        Self.charge(finishedWork, to: &callTimes[Int(handle)], as: .server, now: simulation.now)
        let call = calls[handle]
        sendMessage(
            kind: .response, flow: Int(call.flow), connection: Int(call.connection), call: handle,
            bytes: call.responseBytes, &simulation)
    }

    /// Counts traffic the application starts inside the measured window, finished or not.
    @inline(__always)
    mutating func offer(flow: Int, bytes: Int64, now: SimTime) {
        guard now >= warmupEnd else { return }
        tallies[flow].offeredMessages += 1
        tallies[flow].offeredBytes += bytes
    }

    /// Counts a completed message or call that started inside the measured window.
    @inline(__always)
    mutating func record(flow: Int, start: SimTime, bytes: Int64, stagesOf message: Int32, now: SimTime) {
        guard start >= warmupEnd else { return }
        let latency = (now - start).picoseconds
        #if NETLAB_INTERNAL_CHECKS
            let total = messageTimes[Int(message)].stages.total
            precondition(total == latency, "flow \(flow): stages add up to \(total) ps, latency \(latency) ps")
        #endif
        tallies[flow].messages += 1
        tallies[flow].bytes += bytes
        tallies[flow].latency.record(picoseconds: latency)
        tallies[flow].breakdown.record(latency: latency, stages: messageTimes[Int(message)].stages)
    }

    mutating func freeMessage(_ handle: Int32) {
        messages.remove(handle)
    }
}
