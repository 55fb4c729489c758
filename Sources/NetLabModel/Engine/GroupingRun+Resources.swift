import NetLabCore

extension GroupingRun {
    // MARK: Cores

    /// Runs `duration` of CPU work on `node` for `endpoint` (or the kernel, -1), then `then`.
    /// Zero-cost work continues at once without taking a core.
    mutating func submitWork<Queue: EventQueue>(
        node: Int, duration: Int64, endpoint: Int, then: EventAction, _ simulation: inout Simulation<Queue>
    ) {
        guard duration > 0 else {
            handle(then, in: &simulation)
            return
        }
        if endpoint >= 0 { endpoints[endpoint].activeWork += 1 }
        let handle = works.insert(Work(node: Int32(node), duration: duration, endpoint: Int32(endpoint), then: then))
        if pools[node].busy < pools[node].cores {
            startWork(handle, &simulation)
        } else {
            pools[node].waiting.append(handle)
        }
    }

    mutating func startWork<Queue: EventQueue>(_ handle: Int32, _ simulation: inout Simulation<Queue>) {
        let work = works[handle]
        let node = Int(work.node)
        pools[node].busy += 1
        pools[node].busyPicoseconds += overlapWithMeasurement(from: simulation.now, duration: work.duration)
        simulation.schedule(
            EventAction(kind: EventKind.cpuDone.rawValue, target: UInt32(node), argument: UInt64(handle)),
            after: SimDuration(picoseconds: work.duration))
    }

    mutating func finishWork<Queue: EventQueue>(_ handle: Int32, _ simulation: inout Simulation<Queue>) {
        let work = works[handle]
        let node = Int(work.node)
        works.remove(handle)
        pools[node].busy -= 1
        if !pools[node].waiting.isEmpty {
            startWork(pools[node].waiting.removeFirst(), &simulation)
        }
        if work.endpoint >= 0 { endpoints[Int(work.endpoint)].activeWork -= 1 }
        self.handle(work.then, in: &simulation)
    }

    /// The part of [start, start + duration) inside the measured window, in picoseconds.
    func overlapWithMeasurement(from start: SimTime, duration: Int64) -> Int64 {
        let begin = max(start.picoseconds, warmupEnd.picoseconds)
        let finish = min(start.picoseconds + duration, end.picoseconds)
        return max(0, finish - begin)
    }

    // MARK: Links

    /// Queues `packet` on `link`, or drops it when the buffer is full. TCP data at its sender's
    /// own NIC is never dropped: Linux throttles the socket instead (TCP Small Queues and qdisc
    /// back-pressure), and TCP's window bounds what it can queue.
    mutating func enqueue<Queue: EventQueue>(packet: Int32, on link: Int, _ simulation: inout Simulation<Queue>) {
        let bytes = Int64(packets[packet].wireBytes)
        // Hop 1 of a cross-node path is the sender node's NIC (hop 0 is its stack).
        let locallyThrottled = packets[packet].half >= 0 && packets[packet].hop == 1
        if !locallyThrottled, links[link].queuedBytes + bytes > links[link].bufferBytes {
            if simulation.now >= warmupEnd { links[link].drops += 1 }
            drop(packet: packet, &simulation)
            return
        }
        links[link].queuedBytes += bytes
        links[link].queue.append(packet)
        if !links[link].transmitting { startTransmission(link: link, &simulation) }
    }

    mutating func startTransmission<Queue: EventQueue>(link: Int, _ simulation: inout Simulation<Queue>) {
        guard let packet = links[link].queue.first else {
            links[link].transmitting = false
            return
        }
        links[link].transmitting = true
        let time = links[link].rate.serializationTime(of: Int64(packets[packet].wireBytes))
        links[link].busyPicoseconds += overlapWithMeasurement(from: simulation.now, duration: time.picoseconds)
        simulation.schedule(EventAction(kind: EventKind.linkDone.rawValue, target: UInt32(link)), after: time)
    }

    mutating func finishTransmission<Queue: EventQueue>(link: Int, _ simulation: inout Simulation<Queue>) {
        let packet = links[link].queue.removeFirst()
        links[link].queuedBytes -= Int64(packets[packet].wireBytes)
        simulation.schedule(
            EventAction(kind: EventKind.packetArrive.rawValue, argument: UInt64(packet)),
            after: SimDuration(picoseconds: links[link].propagation))
        startTransmission(link: link, &simulation)
    }

    // MARK: Packets

    /// Moves `packet` to its next hop (or, past the last, to its receiver).
    mutating func advance<Queue: EventQueue>(packet handle: Int32, _ simulation: inout Simulation<Queue>) {
        packets[handle].hop += 1
        let packet = packets[handle]
        guard packet.hop < packet.pathCount else {
            arrive(packet: handle, &simulation)
            return
        }
        let hop = hops[Int(packet.pathStart) + Int(packet.hop)]
        switch hop.kind {
        case .cpu:
            let lane = Int(packet.laneStart) + Int(packet.hop)
            if lanes[lane].busy {
                lanes[lane].waiting.append(handle)
            } else {
                lanes[lane].busy = true
                processAtHop(packet: handle, &simulation)
            }
        case .link:
            enqueue(packet: handle, on: Int(hop.index), &simulation)
        }
    }

    /// Runs the CPU work of the hop `packet` is at.
    mutating func processAtHop<Queue: EventQueue>(packet handle: Int32, _ simulation: inout Simulation<Queue>) {
        let packet = packets[handle]
        let hop = hops[Int(packet.pathStart) + Int(packet.hop)]
        submitWork(node: Int(hop.index), duration: hop.cost / Int64(packet.costDivisor), endpoint: -1,
                   then: EventAction(kind: EventKind.hopDone.rawValue, argument: UInt64(handle)), &simulation)
    }

    /// A packet's CPU work at a hop is done: the lane takes its next packet, this one moves on.
    mutating func hopDone<Queue: EventQueue>(packet handle: Int32, _ simulation: inout Simulation<Queue>) {
        let packet = packets[handle]
        let lane = Int(packet.laneStart) + Int(packet.hop)
        if lanes[lane].waiting.isEmpty {
            lanes[lane].busy = false
        } else {
            processAtHop(packet: lanes[lane].waiting.removeFirst(), &simulation)
        }
        advance(packet: handle, &simulation)
    }

    /// A packet lost at a full queue: counted against its flow; UDP loses the message, TCP will
    /// retransmit the segment.
    mutating func drop<Queue: EventQueue>(packet handle: Int32, _ simulation: inout Simulation<Queue>) {
        let packet = packets[handle]
        if simulation.now >= warmupEnd { tallies[Int(packet.flow)].droppedPackets += 1 }
        if packet.half < 0 {
            let message = Int32(packet.segment)
            if !messages[message].lost {
                messages[message].lost = true
                if messages[message].start >= warmupEnd { tallies[Int(packet.flow)].lostMessages += 1 }
            }
            releaseMessagePacket(message: message)
        }
        packets.remove(handle)
    }

    /// A packet reached the end of its path.
    mutating func arrive<Queue: EventQueue>(packet handle: Int32, _ simulation: inout Simulation<Queue>) {
        let packet = packets[handle]
        packets.remove(handle)
        if packet.half >= 0 {
            if packet.isAck {
                acknowledgementArrived(half: Int(packet.half), segment: packet.segment, cumulative: packet.cumulative, &simulation)
            } else {
                segmentArrived(half: Int(packet.half), segment: packet.segment, &simulation)
            }
            return
        }
        // A UDP datagram or an IPC message.
        let message = Int32(packet.segment)
        messages[message].remainingPackets -= 1
        if messages[message].remainingPackets == 0 {
            if messages[message].lost {
                freeMessage(message)
            } else {
                beginReceive(message: message, &simulation)
            }
        }
    }

    /// One datagram of a lost message is gone; the message is freed when none is left in flight.
    mutating func releaseMessagePacket(message: Int32) {
        messages[message].remainingPackets -= 1
        if messages[message].remainingPackets == 0 { freeMessage(message) }
    }
}
