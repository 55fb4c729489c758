import NetLabCore

/// TCP's sender and receiver; the state and the rules they follow are described on ``HalfConnection``.
extension GroupingRun {
    /// Sends while the pipe is below the congestion window: segments known lost first (lowest
    /// first), then new data within the receive window, TCP Small Queues, Nagle's rule and, under
    /// BBR, the pacing rate.
    mutating func trySend<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        let link = connections[half / 2]
        let segmentPayload = link.segmentPayload
        let receiveWindow = max(1, link.receiveBuffer / max(segmentPayload, 1))
        let paced = link.congestionControl == .bbr
        if paced, pacers[Int(halves[half].pacer)].bbr.pacingRate == 0 {
            pacers[Int(halves[half].pacer)].bbr.startPacing(
                window: halves[half].window.segments, segmentBytes: segmentPayload,
                smoothedRTT: halves[half].smoothedRTT)
        }
        while halves[half].inFlight < max(1, Int(saturating: halves[half].window.segments)) {
            if link.nicBitsPerSecond > 0,
                halves[half].queuedBelowSocket
                    >= Self.smallQueueLimit(
                        link, pacingRate: pacingRate(ofHalf: half), smoothedRTT: halves[half].smoothedRTT,
                        windowSegments: halves[half].window.segments)
            {
                halves[half].throttledBySmallQueues = true
                break
            }
            if paced, pacers[Int(halves[half].pacer)].burstLeft <= 0,
                pacers[Int(halves[half].pacer)].nextSendTime > simulation.now
            {
                armPacingTimer(half: half, &simulation)
                break
            }
            if let offset = halves[half].lowestLost(in: rings.segments) {
                halves[half].lostCount -= 1
                rings.segments[halves[half].segments, offset].retransmitted = true
                if simulation.now >= warmupEnd { tallies[link.flow].retransmissions += 1 }
                send(half: half, offset: offset, &simulation)
                continue
            }
            guard let head = rings.unsent.first(of: queues(ofHalf: half).unsent) else {
                // Less to send than the window allows: BBR's samples from now on are
                // application-limited.
                if paced, halves[half].lostCount == 0 {
                    pacers[Int(halves[half].pacer)].deliveryRate.appLimitedUntil = max(
                        pacers[Int(halves[half].pacer)].deliveryRate.delivered + Int64(halves[half].inFlight), 1)
                }
                break
            }
            guard halves[half].nextSegment - halves[half].acknowledgedUpTo < receiveWindow else { break }
            let payload = min(segmentPayload, head.bytesLeft)
            if link.nagle, payload < segmentPayload, halves[half].nextSegment > halves[half].acknowledgedUpTo { break }
            var endsMessage: Int32 = -1
            if payload == head.bytesLeft {
                _ = rings.unsent.removeFirst(from: &halfQueues.sets[Int(halves[half].queues)].unsent)
                endsMessage = head.message
            } else {
                rings.unsent[queues(ofHalf: half).unsent, 0] = (head.message, head.bytesLeft - payload)
            }
            halves[half].nextSegment += 1
            // Until its last segment is first sent, a message waits in the transport; any time
            // after that until the copy that arrives leaves is loss recovery.
            if endsMessage >= 0 { messageTimes[Int(endsMessage)].charge(.transport, until: simulation.now) }
            rings.segments.append(
                HalfConnection.Segment(
                    payload: Int32(payload), endsMessage: endsMessage, sentAt: simulation.now, transmission: 0,
                    state: .lost, retransmitted: false),
                to: &halves[half].segments)
            if connections[half / 2].congestionControl == .bbr {
                pacers[Int(halves[half].pacer)].stamps.append(DeliveryRate.Stamp.none)
            }
            send(half: half, offset: halves[half].segments.count - 1, &simulation)
        }
        // An offload burst holds what was ready at once; the next send starts a new one.
        if halves[half].pacer >= 0 { pacers[Int(halves[half].pacer)].burstLeft = 0 }
        armTimer(half: half, &simulation)
    }

    /// Transmits (or retransmits) the segment at `offset`; data carries a pending ACK for the
    /// other direction (piggybacked).
    mutating func send<Queue: EventQueue>(half: Int, offset: Int, _ simulation: inout Simulation<Queue>) {
        let connection = half / 2
        let link = connections[connection]
        halves[half].transmissions += 1
        let transmission = halves[half].transmissions
        let segment = halves[half].acknowledgedUpTo + Int64(offset)
        if link.congestionControl == .bbr {
            pacers[Int(halves[half].pacer)].stamps[offset] = pacers[Int(halves[half].pacer)].deliveryRate.stamp(
                now: simulation.now, nothingInFlight: halves[half].inFlight == 0)
            pace(half: half, payload: Int64(rings.segments[halves[half].segments, offset].payload), now: simulation.now)
        }
        rings.segments[halves[half].segments, offset].state = .inFlight
        rings.segments[halves[half].segments, offset].sentAt = simulation.now
        rings.segments[halves[half].segments, offset].transmission = transmission
        halves[half].inFlight += 1
        rings.sendOrder.append((segment, transmission), to: &halves[half].sendOrder)
        let payload = Int64(rings.segments[halves[half].segments, offset].payload)
        let reverse = half ^ 1
        var piggybacked: Int64 = -1
        if halves[reverse].unacknowledgedSegments > 0 {
            piggybacked = halves[reverse].nextExpected
            halves[reverse].unacknowledgedSegments = 0
        }
        let ip = payload + Int64(Headers.ipv4 + Headers.tcp)
        let wire = wireBytes(ip: ip, link)
        if link.nicBitsPerSecond > 0 { halves[half].queuedBelowSocket += Int64(wire) }
        launch(
            Packet(
                flow: Int32(link.flow), half: Int32(half), segment: segment, cumulative: piggybacked,
                ipBytes: Int32(ip),
                wireBytes: wire, isAck: false, tracked: rings.segments[halves[half].segments, offset].endsMessage >= 0,
                costDivisor: payload == link.segmentPayload ? link.offloadBatch : 1, pathStart: 0, pathCount: 0, hop: -1
            ),
            connection: connection, direction: half % 2, &simulation)
    }

    /// A data segment left the sender's NIC: TCP Small Queues may let the sender go on.
    mutating func segmentLeftNIC<Queue: EventQueue>(half: Int, wireBytes: Int64, _ simulation: inout Simulation<Queue>)
    {
        halves[half].queuedBelowSocket -= wireBytes
        guard halves[half].throttledBySmallQueues else { return }
        let limit = Self.smallQueueLimit(
            connections[half / 2], pacingRate: pacingRate(ofHalf: half), smoothedRTT: halves[half].smoothedRTT,
            windowSegments: halves[half].window.segments)
        guard halves[half].queuedBelowSocket < limit else { return }
        halves[half].throttledBySmallQueues = false
        trySend(half: half, &simulation)
    }

    /// A data segment reached the receiver's stack: reassemble, deliver in order, acknowledge
    /// (at once when out of order or filling a hole, else every second segment or on the
    /// delayed-ACK timer), and take the ACK it carries for the other direction.
    mutating func segmentArrived<Queue: EventQueue>(
        half: Int, segment: Int64, payload: Int64, piggybacked: Int64, journeyOf packet: Int32,
        _ simulation: inout Simulation<Queue>
    ) {
        let link = connections[half / 2]
        let outOfOrder = segment != halves[half].nextExpected
        let fillsHole = !outOfOrder && queues(ofHalf: half).received.count > 1
        if segment >= halves[half].nextExpected {
            let offset = Int(segment - halves[half].nextExpected)
            while queues(ofHalf: half).received.count <= offset {
                rings.received.append(false, to: &halfQueues.sets[queueSlot(ofHalf: half)].received)
            }
            if packet >= 0, !rings.received[queues(ofHalf: half).received, offset] {
                // The first copy of a message's last segment to arrive is its critical packet.
                let message = rings.segments[halves[half].segments, Int(segment - halves[half].acknowledgedUpTo)]
                    .endsMessage
                absorb(journeyOf: packet, intoMessage: message, waitedAs: .recovery, now: simulation.now)
            }
            rings.received[queues(ofHalf: half).received, offset] = true
            while rings.received.first(of: queues(ofHalf: half).received) == true {
                _ = rings.received.removeFirst(from: &halfQueues.sets[Int(halves[half].queues)].received)
                let delivered = halves[half].nextExpected
                halves[half].nextExpected += 1
                let record = rings.segments[halves[half].segments, Int(delivered - halves[half].acknowledgedUpTo)]
                if record.endsMessage >= 0 { beginReceive(message: record.endsMessage, &simulation) }
            }
        }
        halves[half].unacknowledgedSegments += 1
        if outOfOrder || fillsHole || halves[half].unacknowledgedSegments >= 2 {
            sendAcknowledgement(
                half: half, reporting: outOfOrder ? segment : -1, full: payload == link.segmentPayload, &simulation)
        } else if !halves[half].delayedAckArmed {
            halves[half].delayedAckArmed = true
            halves[half].delayedAckDeadline = simulation.now + profile.tcpDelayedAck
            simulation.schedule(
                EventAction(kind: EventKind.delayedAck.rawValue, target: UInt32(half)),
                at: halves[half].delayedAckDeadline)
        } else if halves[half].unacknowledgedSegments == 1 {
            halves[half].delayedAckDeadline = simulation.now + profile.tcpDelayedAck
        }
        if piggybacked >= 0 {
            acknowledgementArrived(half: half ^ 1, segment: -1, cumulative: piggybacked, &simulation)
        }
        releaseQueuesIfIdle(half: half)
    }

    /// Sends a pure ACK for `half`'s data: the cumulative point and the segment it reports (SACK).
    mutating func sendAcknowledgement<Queue: EventQueue>(
        half: Int, reporting segment: Int64, full: Bool, _ simulation: inout Simulation<Queue>
    ) {
        let connection = half / 2
        let link = connections[connection]
        halves[half].unacknowledgedSegments = 0
        let ip = Int64(Headers.ipv4 + Headers.tcp)
        launch(
            Packet(
                flow: Int32(link.flow), half: Int32(half), segment: segment, cumulative: halves[half].nextExpected,
                ipBytes: Int32(ip), wireBytes: wireBytes(ip: ip, link), isAck: true, tracked: false,
                costDivisor: full ? max(1, link.offloadBatch / 2) : 1, pathStart: 0, pathCount: 0, hop: -1),
            connection: connection, direction: 1 - half % 2, &simulation)
    }

    /// The delayed-ACK timer: acknowledges what is still unacknowledged (re-armed lazily when
    /// later data moved its deadline).
    mutating func delayedAckFired<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        halves[half].delayedAckArmed = false
        guard halves[half].unacknowledgedSegments > 0 else { return }
        if simulation.now < halves[half].delayedAckDeadline {
            halves[half].delayedAckArmed = true
            simulation.schedule(
                EventAction(kind: EventKind.delayedAck.rawValue, target: UInt32(half)),
                at: halves[half].delayedAckDeadline)
            return
        }
        sendAcknowledgement(half: half, reporting: -1, full: false, &simulation)
    }

    /// A pure ACK reached the sender's host; TCP takes it after the profile's timing noise when
    /// it came in through a NIC (interrupt moderation; loopback and veth have none).
    mutating func ackArrived<Queue: EventQueue>(
        half: Int, segment: Int64, cumulative: Int64, _ simulation: inout Simulation<Queue>
    ) {
        let jitter = connections[half / 2].pathClass == .crossNode ? profile.tcpAckJitter.picoseconds : 0
        guard jitter > 0 else {
            acknowledgementArrived(half: half, segment: segment, cumulative: cumulative, &simulation)
            return
        }
        let delay = Int64(saturating: jitterStreams[half / 2].nextOpenUnit() * Double(jitter))
        let at = max(halves[half].lastAckProcessing, simulation.now + SimDuration(picoseconds: delay))
        halves[half].lastAckProcessing = at
        rings.arrivedAcks.append((segment, cumulative), to: &halfQueues.sets[queueSlot(ofHalf: half)].arrivedAcks)
        simulation.schedule(EventAction(kind: EventKind.ackProcessed.rawValue, target: UInt32(half)), at: at)
    }

    mutating func processArrivedAck<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        let ack = rings.arrivedAcks.removeFirst(from: &halfQueues.sets[Int(halves[half].queues)].arrivedAcks)
        acknowledgementArrived(half: half, segment: ack.segment, cumulative: ack.cumulative, &simulation)
    }

    /// An acknowledgement reached the sender: slide, mark what it reports delivered, mark lost
    /// every segment sent before the newest one delivered, adjust the window, send.
    mutating func acknowledgementArrived<Queue: EventQueue>(
        half: Int, segment: Int64, cumulative: Int64, _ simulation: inout Simulation<Queue>
    ) {
        let now = simulation.now
        let minimumRTO = profile.tcpMinimumRTO.picoseconds
        let algorithm = connections[half / 2].congestionControl
        var sample = DeliveryRate.Sample()
        var newest: Int64 = -1
        var delivered = 0
        var advanced = false
        while halves[half].acknowledgedUpTo < cumulative, let record = rings.segments.first(of: halves[half].segments) {
            switch record.state {
            case .inFlight: halves[half].inFlight -= 1
            case .lost: halves[half].lostCount -= 1
            case .selectivelyAcknowledged: break
            }
            if record.state != .selectivelyAcknowledged {
                newest = max(newest, record.transmission)
                delivered += 1
                if !record.retransmitted {
                    halves[half].observeRTT((now - record.sentAt).picoseconds, minimum: minimumRTO)
                }
                if algorithm == .bbr { takeDelivery(half: half, record, offset: 0, now: now, &sample) }
            }
            halves[half].bufferedBytes -= Int64(record.payload)
            _ = rings.segments.removeFirst(from: &halves[half].segments)
            if algorithm == .bbr { _ = pacers[Int(halves[half].pacer)].stamps.removeFirst() }
            halves[half].acknowledgedUpTo += 1
            advanced = true
        }
        if segment >= halves[half].acknowledgedUpTo, segment < halves[half].nextSegment {
            let offset = Int(segment - halves[half].acknowledgedUpTo)
            let record = rings.segments[halves[half].segments, offset]
            if record.state != .selectivelyAcknowledged {
                if record.state == .inFlight { halves[half].inFlight -= 1 } else { halves[half].lostCount -= 1 }
                rings.segments[halves[half].segments, offset].state = .selectivelyAcknowledged
                newest = max(newest, record.transmission)
                delivered += 1
                if !record.retransmitted {
                    halves[half].observeRTT((now - record.sentAt).picoseconds, minimum: minimumRTO)
                }
                if algorithm == .bbr { takeDelivery(half: half, record, offset: offset, now: now, &sample) }
            }
        }
        // Transmissions of segments now acknowledged need no loss check: dropping them at once
        // (rather than when a later transmission is delivered) lets an idle half's send order
        // empty and give its pool block back.
        while let entry = rings.sendOrder.first(of: halves[half].sendOrder),
            entry.segment < halves[half].acknowledgedUpTo
        {
            _ = rings.sendOrder.removeFirst(from: &halves[half].sendOrder)
        }
        // Time-ordered loss detection: what was sent before a delivered transmission and is
        // still in flight was lost (paths here keep order).
        var lossFound = false
        while let entry = rings.sendOrder.first(of: halves[half].sendOrder), entry.transmission < newest {
            _ = rings.sendOrder.removeFirst(from: &halves[half].sendOrder)
            guard entry.segment >= halves[half].acknowledgedUpTo else { continue }
            let offset = Int(entry.segment - halves[half].acknowledgedUpTo)
            if rings.segments[halves[half].segments, offset].transmission == entry.transmission,
                rings.segments[halves[half].segments, offset].state == .inFlight
            {
                halves[half].markLost(offset: offset, in: &rings.segments)
                lossFound = true
                sample.losses += 1
            }
        }
        if lossFound, halves[half].acknowledgedUpTo > halves[half].recoveryPoint {
            if algorithm == .bbr {
                pacers[Int(halves[half].pacer)].bbr.saveWindow(halves[half].window.segments)
            } else {
                halves[half].window.reduce(algorithm: algorithm)
            }
            halves[half].recoveryPoint = halves[half].nextSegment - 1
            halves[half].inFastRecovery = true
            halves[half].recoveringFromTimeout = false  // past the timeout's recovery point
        } else if halves[half].acknowledgedUpTo > halves[half].recoveryPoint {
            halves[half].inFastRecovery = false
            halves[half].recoveringFromTimeout = false
        }
        if algorithm == .bbr {
            updateBBR(half: half, &sample, now: now)
        } else {
            // The window grows only while it limits the sender (Linux's `tcp_is_cwnd_limited`,
            // RFC 7661): not when the application, the receive window or TCP Small Queues hold it back.
            let windowLimited = halves[half].inFlight + delivered >= Int(saturating: halves[half].window.segments)
            if !halves[half].inFastRecovery, delivered > 0, windowLimited {
                halves[half].window.grow(
                    acknowledged: delivered, now: now, smoothedRTT: halves[half].smoothedRTT, algorithm: algorithm)
            }
        }
        if advanced {
            restartTimer(half: half, &simulation)
            admitBlockedWrites(half: half, &simulation)
        }
        trySend(half: half, &simulation)
        if advanced, half % 2 == 0 { refillStream(connection: half / 2, &simulation) }
        releaseQueuesIfIdle(half: half)
    }

    /// Starts the retransmission timer if data is outstanding and it is not running.
    mutating func armTimer<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        guard !halves[half].segments.isEmpty, !halves[half].timerArmed else { return }
        restartTimer(half: half, &simulation)
    }

    /// Sets the timer to one timeout from now. A later deadline is left to the pending event,
    /// which re-arms itself; an earlier one gets an event of its own, and the old one is ignored.
    mutating func restartTimer<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        let deadline = simulation.now + SimDuration(picoseconds: halves[half].retransmissionTimeout)
        halves[half].timerDeadline = deadline
        if !halves[half].timerArmed || deadline < halves[half].timerEventAt {
            halves[half].timerArmed = true
            halves[half].timerEventAt = deadline
            simulation.schedule(
                EventAction(kind: EventKind.retransmissionTimer.rawValue, target: UInt32(half)), at: deadline)
        }
    }

    /// The retransmission timer: re-armed lazily when acknowledgements moved its deadline. On a
    /// real timeout every segment in flight counts as lost, the window falls to one segment, the
    /// timeout backs off, and the lost segments are resent from the lowest.
    mutating func retransmissionTimerFired<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        guard halves[half].timerArmed, simulation.now == halves[half].timerEventAt else { return }  // superseded
        halves[half].timerArmed = false
        guard !halves[half].segments.isEmpty else { return }
        if simulation.now < halves[half].timerDeadline {
            halves[half].timerArmed = true
            halves[half].timerEventAt = halves[half].timerDeadline
            simulation.schedule(
                EventAction(kind: EventKind.retransmissionTimer.rawValue, target: UInt32(half)),
                at: halves[half].timerDeadline)
            return
        }
        for offset in 0..<halves[half].segments.count { halves[half].markLost(offset: offset, in: &rings.segments) }
        rings.sendOrder.removeAll(from: &halves[half].sendOrder)
        let algorithm = connections[half / 2].congestionControl
        if algorithm == .bbr {
            pacers[Int(halves[half].pacer)].bbr.saveWindow(halves[half].window.segments)
            halves[half].window.segments = 1
            halves[half].recoveringFromTimeout = true
        } else {
            halves[half].window.collapse(algorithm: algorithm)
        }
        halves[half].inFastRecovery = false
        halves[half].recoveryPoint = halves[half].nextSegment - 1
        halves[half].retransmissionTimeout = min(
            halves[half].retransmissionTimeout * 2, SimDuration.seconds(60).picoseconds)
        trySend(half: half, &simulation)
        armTimer(half: half, &simulation)
    }
}

extension GroupingRun {
    /// TCP Small Queues: at most about a millisecond of data at the pacing rate below the socket,
    /// and at least 256 KiB. Static, given the scalars it needs: a method of the run or of the
    /// half would copy the half (its rings, BBR's state) on every segment.
    static func smallQueueLimit(
        _ link: Connection, pacingRate: Double, smoothedRTT: Double, windowSegments: Double
    ) -> Int64 {
        var bitsPerSecond = Double(link.nicBitsPerSecond)
        if link.congestionControl == .bbr {
            bitsPerSecond = min(bitsPerSecond, pacingRate * 8)
        } else if smoothedRTT > 0 {
            let pacing = 2 * windowSegments * Double(link.segmentPayload) * 8 / (smoothedRTT / 1e12)
            bitsPerSecond = min(bitsPerSecond, pacing)
        }
        return max(256 << 10, Int64(saturating: bitsPerSecond / 8 / 1000))
    }
}
