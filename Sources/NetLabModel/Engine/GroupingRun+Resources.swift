import NetLabCore

extension GroupingRun {
    /// The part of [start, start + duration) inside the measured window, in picoseconds.
    @inline(__always)
    func overlapWithMeasurement(from start: SimTime, duration: Int64) -> Int64 {
        let begin = max(start.picoseconds, warmupEnd.picoseconds)
        let finish = min(start.picoseconds + duration, end.picoseconds)
        return max(0, finish - begin)
    }

    // MARK: Links

    /// Queues `packet` on `link`, or drops it when the buffer is full. TCP at its sender's own NIC
    /// is never dropped: Linux throttles the socket instead (TCP Small Queues, qdisc back-pressure).
    ///
    /// A drop-tail FIFO at a fixed rate settles a packet's whole passage when it arrives: it
    /// starts when the packets ahead of it are sent, takes its serialisation time, then the
    /// propagation delay. So the link needs no event of its own per packet, only the packet's
    /// arrival at the far end (the wire's), and the bytes still waiting are counted down lazily.
    mutating func enqueue<Queue: EventQueue>(packet: Int32, on link: Int, _ simulation: inout Simulation<Queue>) {
        let now = simulation.now.picoseconds
        let bytes = Int64(packets[packet].wireBytes)
        links[link].forgetSent(upTo: now)
        // A NIC is only ever its sender's own on a path.
        let locallyThrottled = packets[packet].half >= 0 && links[link].isNIC
        if !locallyThrottled, links[link].queuedBytes + bytes > links[link].bufferBytes {
            if simulation.now >= warmupEnd { links[link].drops += 1 }
            drop(packet: packet, &simulation)
            return
        }
        let start = max(now, links[link].busyUntil)
        var time = links[link].serializationPicoseconds(of: bytes)
        if links[link].burstPicoseconds > 0 {
            // A shaper: the packet leaves once the bucket holds its sending time. It is busy as a
            // link of its rate would be, so that its utilisation is the share of its rate in use
            // (a burst does not count twice).
            let wait = links[link].takeTokens(at: start, bytes: bytes)
            let busyFrom = max(start + wait, links[link].rateBusyUntil)
            links[link].rateBusyUntil = busyFrom + time
            links[link].busyPicoseconds += overlapWithMeasurement(from: SimTime(picoseconds: busyFrom), duration: time)
            time = wait
        } else {
            links[link].busyPicoseconds += overlapWithMeasurement(from: SimTime(picoseconds: start), duration: time)
        }
        let finish = start + time
        if packets[packet].tracked {
            chargePassage(
                of: packet, link: link, now: now, sending: links[link].burstPicoseconds > 0 ? finish : start,
                finish: finish)
        }
        links[link].busyUntil = finish
        links[link].queuedBytes += bytes
        links[link].unsentPackets += 1
        let slot = WireSlot(packet: packet, wireBytes: Int32(bytes), finish: finish)
        links[link].onWire.append(slot)
        if links[link].onWire.count == 1 {
            simulation.schedule(
                EventAction(kind: EventKind.wireArrival.rawValue, target: UInt32(link)),
                at: links[link].arrival(of: slot))
        }
        let sent = packets[packet]
        if sent.half >= 0, !sent.isAck, links[link].isNIC {
            // TCP Small Queues hears when a data segment has left the sender's NIC.
            simulation.schedule(
                EventAction(
                    kind: EventKind.segmentSent.rawValue, target: UInt32(sent.half), argument: UInt64(sent.wireBytes)),
                at: SimTime(picoseconds: finish))
        }
    }

    /// The oldest packet on `link`'s wire reaches the far end; the next one's arrival is
    /// scheduled.
    mutating func leaveWire<Queue: EventQueue>(link: Int, _ simulation: inout Simulation<Queue>) {
        let slot = links[link].removeArrived()
        if let next = links[link].onWire.first {
            simulation.schedule(
                EventAction(kind: EventKind.wireArrival.rawValue, target: UInt32(link)),
                at: links[link].arrival(of: next))
        }
        advance(packet: slot.packet, &simulation)
    }

    // MARK: Packets

    /// Moves `packet` to its next hop (or, past the last, to its receiver). A CPU hop that costs
    /// nothing (the `ideal` profile) is passed straight through: its lane can never be busy, and
    /// it would charge no core.
    mutating func advance<Queue: EventQueue>(packet handle: Int32, _ simulation: inout Simulation<Queue>) {
        var hop: Hop
        var packet: Packet
        repeat {
            packets[handle].hop += 1
            packet = packets[handle]
            guard packet.hop < packet.pathCount else {
                arrive(packet: handle, &simulation)
                return
            }
            hop = hops[Int(packet.pathStart) + Int(packet.hop)]
            if hop.leavesSender, packet.half == -1 { datagramLeftSender(packet, &simulation) }
        } while hop.kind == .cpu && hop.cost == 0
        switch hop.kind {
        case .cpu:
            let lane = Int(packet.laneStart) + Int(packet.hop)
            if lanes[lane].busy {
                guard !hop.receives || lanes[lane].waiting.count < profile.backlogPackets else {
                    drop(packet: handle, &simulation)
                    return
                }
                laneQueues.append(handle, to: &lanes[lane].waiting)
            } else {
                lanes[lane].busy = true
                processAtHop(packet: handle, &simulation)
            }
        case .link:
            enqueue(packet: handle, on: Int(hop.index), &simulation)
        case .delay:
            // Distance: every packet takes the same time, so they stay in order.
            if packet.tracked {
                journeys[Int(handle)].times[Stage.propagation.rawValue] &+= hop.cost
                journeys[Int(handle)].mark = simulation.now + SimDuration(picoseconds: hop.cost)
            }
            simulation.schedule(
                EventAction(kind: EventKind.resumePacket.rawValue, argument: UInt64(handle)),
                after: SimDuration(picoseconds: hop.cost))
        }
    }

    /// Runs the CPU work of the hop `packet` is at.
    mutating func processAtHop<Queue: EventQueue>(packet handle: Int32, _ simulation: inout Simulation<Queue>) {
        let packet = packets[handle]
        let hop = hops[Int(packet.pathStart) + Int(packet.hop)]
        let cost = packet.isAck ? Int64(saturating: (Double(hop.cost) * profile.tcpAckCost).rounded()) : hop.cost
        let duration = varied(work: cost / Int64(packet.costDivisor), on: Int(hop.index))
        if packet.tracked {
            journeys[Int(handle)].beginWork(duration, sharedAs: hop.shares, at: simulation.now)
        }
        submitVariedWork(
            node: Int(hop.index), duration: duration, endpoint: -1,
            then: EventAction(kind: EventKind.hopDone.rawValue, argument: UInt64(handle)),
            steering: Int(packet.laneStart), &simulation)
    }

    /// A packet's CPU work at a hop is done: the lane takes its next packet, this one moves on.
    mutating func hopDone<Queue: EventQueue>(packet handle: Int32, _ simulation: inout Simulation<Queue>) {
        let packet = packets[handle]
        if packet.tracked { journeys[Int(handle)].charge(.coreWait, until: simulation.now) }
        let lane = Int(packet.laneStart) + Int(packet.hop)
        if lanes[lane].waiting.isEmpty {
            lanes[lane].busy = false
        } else {
            processAtHop(packet: laneQueues.removeFirst(from: &lanes[lane].waiting), &simulation)
        }
        advance(packet: handle, &simulation)
    }

    /// A packet lost at a full queue: counted against its flow; UDP loses the message, TCP will
    /// retransmit the segment.
    mutating func drop<Queue: EventQueue>(packet handle: Int32, _ simulation: inout Simulation<Queue>) {
        let packet = packets[handle]
        if simulation.now >= warmupEnd { tallies[Int(packet.flow)].droppedPackets += 1 }
        if packet.half == Self.handshakeHalf {
            // Linux resends a lost SYN (or, for a lost SYN-ACK, the client's SYN draws a new
            // one) after the initial retransmission timeout.
            simulation.schedule(
                EventAction(kind: EventKind.handshakeRetry.rawValue, argument: UInt64(packet.segment)),
                after: .seconds(1))
        } else if packet.half < 0 {
            let message = Int32(packet.segment)
            if !messages[message].lost {
                messages[message].lost = true
                messageLost(message, &simulation)
            }
            releaseMessagePacket(message: message)
        }
        packets.remove(handle)
    }

    /// A message that will never arrive: counted; the rpc call it belongs to is abandoned (a
    /// closed-loop caller gives up on it at once and goes on).
    mutating func messageLost<Queue: EventQueue>(_ handle: Int32, _ simulation: inout Simulation<Queue>) {
        let message = messages[handle]
        guard message.kind == .request || message.kind == .response else {
            if message.start >= warmupEnd { tallies[Int(message.flow)].lostMessages += 1 }
            return
        }
        // A call is lost as a whole, and counts where it was offered: by when it started.
        let call = calls[message.call]
        if call.start >= warmupEnd { tallies[Int(message.flow)].lostMessages += 1 }
        calls.remove(message.call)
        if call.caller >= 0 { scheduleNextCall(flow: Int(call.flow), caller: Int(call.caller), &simulation) }
    }

    /// A packet reached the end of its path.
    mutating func arrive<Queue: EventQueue>(packet handle: Int32, _ simulation: inout Simulation<Queue>) {
        let packet = packets[handle]
        packets.remove(handle)
        if packet.half == Self.handshakeHalf {
            handshakeArrived(call: Int32(packet.segment), reply: packet.cumulative == 1, &simulation)
            return
        }
        if packet.half >= 0 {
            if packet.isAck {
                ackArrived(half: Int(packet.half), segment: packet.segment, cumulative: packet.cumulative, &simulation)
            } else {
                segmentArrived(
                    half: Int(packet.half), segment: packet.segment,
                    payload: Int64(packet.ipBytes) - Int64(Headers.ipv4 + Headers.tcp),
                    piggybacked: packet.cumulative, journeyOf: packet.tracked ? handle : -1, &simulation)
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
                absorb(journeyOf: handle, intoMessage: message, waitedAs: .transport, now: simulation.now)
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
