import NetLabCore

extension GroupingRun {
    /// Sends new segments while the window allows and data is waiting.
    mutating func trySend<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        let connection = half / 2
        let payloadLimit = connections[connection].segmentPayload
        let windowLimit = Double(max(1, profile.tcpMaximumWindow / max(payloadLimit, 1)))
        while let head = halves[half].unsent.first {
            let window = min(halves[half].congestionWindow, windowLimit)
            guard Double(halves[half].outstanding) < window.rounded(.down) || halves[half].outstanding == 0 else { break }
            let payload = min(payloadLimit, head.bytesLeft)
            var endsMessage: Int32 = -1
            if payload == head.bytesLeft {
                _ = halves[half].unsent.removeFirst()
                endsMessage = head.message
            } else {
                halves[half].unsent[0] = (head.message, head.bytesLeft - payload)
            }
            let segment = halves[half].nextSegment
            halves[half].nextSegment += 1
            halves[half].segments.append(HalfConnection.Segment(
                payload: Int32(payload), endsMessage: endsMessage, sentAt: simulation.now, acknowledged: false, retransmitted: false))
            halves[half].outstanding += 1
            transmit(half: half, segment: segment, payload: payload, &simulation)
        }
        armTimer(half: half, &simulation)
    }

    mutating func transmit<Queue: EventQueue>(half: Int, segment: Int64, payload: Int64, _ simulation: inout Simulation<Queue>) {
        let connection = half / 2
        let ip = payload + Int64(Headers.ipv4 + Headers.tcp)
        let link = connections[connection]
        launch(Packet(flow: Int32(link.flow), half: Int32(half), segment: segment, cumulative: 0, ipBytes: Int32(ip),
                      wireBytes: wireBytes(ip: ip, link), isAck: false,
                      costDivisor: payload == link.segmentPayload ? link.offloadBatch : 1, pathStart: 0, pathCount: 0, hop: -1),
               connection: connection, direction: half % 2, &simulation)
    }

    /// A data segment reached the receiver's stack: reassemble, deliver in order, acknowledge.
    mutating func segmentArrived<Queue: EventQueue>(half: Int, segment: Int64, _ simulation: inout Simulation<Queue>) {
        let connection = half / 2
        let link = connections[connection]
        var full = false
        if segment >= halves[half].acknowledgedUpTo, segment < halves[half].nextSegment {
            full = Int64(halves[half].segments[Int(segment - halves[half].acknowledgedUpTo)].payload) == link.segmentPayload
        }
        if segment >= halves[half].nextExpected {
            let offset = Int(segment - halves[half].nextExpected)
            while halves[half].received.count <= offset { halves[half].received.append(false) }
            halves[half].received[offset] = true
            while halves[half].received.first == true {
                _ = halves[half].received.removeFirst()
                let delivered = halves[half].nextExpected
                halves[half].nextExpected += 1
                let record = halves[half].segments[Int(delivered - halves[half].acknowledgedUpTo)]
                if record.endsMessage >= 0 { beginReceive(message: record.endsMessage, &simulation) }
            }
        }
        let ip = Int64(Headers.ipv4 + Headers.tcp)
        launch(Packet(flow: Int32(link.flow), half: Int32(half), segment: segment, cumulative: halves[half].nextExpected,
                      ipBytes: Int32(ip), wireBytes: wireBytes(ip: ip, link), isAck: true,
                      costDivisor: full ? link.offloadBatch : 1, pathStart: 0, pathCount: 0, hop: -1),
               connection: connection, direction: 1 - half % 2, &simulation)
    }

    /// An acknowledgement reached the sender: mark, slide, grow the window, detect losses.
    mutating func acknowledgementArrived<Queue: EventQueue>(half: Int, segment: Int64, cumulative: Int64, _ simulation: inout Simulation<Queue>) {
        let now = simulation.now
        if segment >= halves[half].acknowledgedUpTo, segment < halves[half].nextSegment {
            markAcknowledged(half: half, offset: Int(segment - halves[half].acknowledgedUpTo), now: now)
            halves[half].highestSelectivelyAcknowledged = max(halves[half].highestSelectivelyAcknowledged, segment)
        }
        var advanced = false
        while halves[half].acknowledgedUpTo < cumulative {
            markAcknowledged(half: half, offset: 0, now: now)
            _ = halves[half].segments.removeFirst()
            halves[half].acknowledgedUpTo += 1
            advanced = true
        }
        if advanced { halves[half].timerDeadline = now + SimDuration(picoseconds: halves[half].retransmissionTimeout) }
        // Fast retransmit: the oldest segment is missing while three later ones arrived. A
        // retransmission that is itself overdue (two smoothed round trips old, as RACK judges
        // loss by time) is sent again rather than left to the timeout.
        let overdue = SimDuration(picoseconds: Int64(max(halves[half].smoothedRTT, 1_000_000) * 2))
        if let oldest = halves[half].segments.first, !oldest.acknowledged,
           !oldest.retransmitted || now - oldest.sentAt > overdue,
           halves[half].highestSelectivelyAcknowledged >= halves[half].acknowledgedUpTo + 3 {
            if halves[half].acknowledgedUpTo > halves[half].recoveryPoint {
                halves[half].slowStartThreshold = max(halves[half].congestionWindow / 2, 2)
                halves[half].congestionWindow = halves[half].slowStartThreshold
                halves[half].recoveryPoint = halves[half].nextSegment - 1
            }
            retransmit(half: half, offset: 0, &simulation)
        }
        trySend(half: half, &simulation)
        if half % 2 == 0 { refillStream(connection: half / 2, &simulation) }
    }

    mutating func markAcknowledged(half: Int, offset: Int, now: SimTime) {
        var record = halves[half].segments[offset]
        guard !record.acknowledged else { return }
        record.acknowledged = true
        halves[half].segments[offset] = record
        halves[half].outstanding -= 1
        halves[half].bufferedBytes -= Int64(record.payload)
        if !record.retransmitted {
            halves[half].observeRTT((now - record.sentAt).picoseconds, minimum: profile.tcpMinimumRTO.picoseconds)
        }
        if halves[half].congestionWindow < halves[half].slowStartThreshold {
            halves[half].congestionWindow += 1
        } else {
            halves[half].congestionWindow += 1 / halves[half].congestionWindow
        }
    }

    mutating func retransmit<Queue: EventQueue>(half: Int, offset: Int, _ simulation: inout Simulation<Queue>) {
        halves[half].segments[offset].retransmitted = true
        halves[half].segments[offset].sentAt = simulation.now
        let connection = half / 2
        if simulation.now >= warmupEnd { tallies[connections[connection].flow].retransmissions += 1 }
        transmit(half: half, segment: halves[half].acknowledgedUpTo + Int64(offset),
                 payload: Int64(halves[half].segments[offset].payload), &simulation)
    }

    mutating func armTimer<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        guard halves[half].outstanding > 0, !halves[half].timerArmed else { return }
        halves[half].timerArmed = true
        halves[half].timerDeadline = simulation.now + SimDuration(picoseconds: halves[half].retransmissionTimeout)
        simulation.schedule(EventAction(kind: EventKind.retransmissionTimer.rawValue, target: UInt32(half)), at: halves[half].timerDeadline)
    }

    /// The retransmission timer: re-armed lazily when acknowledgements moved its deadline; on a
    /// real timeout, back off, shrink the window to one and resend the oldest missing segment.
    mutating func retransmissionTimerFired<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        halves[half].timerArmed = false
        guard halves[half].outstanding > 0 else { return }
        if simulation.now < halves[half].timerDeadline {
            halves[half].timerArmed = true
            simulation.schedule(EventAction(kind: EventKind.retransmissionTimer.rawValue, target: UInt32(half)), at: halves[half].timerDeadline)
            return
        }
        halves[half].slowStartThreshold = max(Double(halves[half].outstanding) / 2, 2)
        halves[half].congestionWindow = 1
        halves[half].retransmissionTimeout = min(halves[half].retransmissionTimeout * 2, SimDuration.seconds(60).picoseconds)
        halves[half].recoveryPoint = halves[half].nextSegment - 1
        var oldestMissing = -1
        for offset in 0..<halves[half].segments.count {
            halves[half].segments[offset].retransmitted = false
            if oldestMissing < 0, !halves[half].segments[offset].acknowledged { oldestMissing = offset }
        }
        if oldestMissing >= 0 { retransmit(half: half, offset: oldestMissing, &simulation) }
        armTimer(half: half, &simulation)
    }
}
