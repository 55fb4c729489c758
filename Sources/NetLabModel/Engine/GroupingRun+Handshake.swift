import NetLabCore

/// Connections opened per call (`"connection": "per-call"`): before its request a call sends a
/// SYN, the server's kernel answers with a SYN-ACK, and the client, woken in `connect()`, sends
/// the request; the connection's congestion state starts afresh (initial window, no RTT
/// estimate). The handshake's packets cost what an ACK costs at each hop; `connect()` and
/// `accept()` themselves are not charged, and closing is off the calls' path.
extension GroupingRun {
    /// Handshake packets carry this as their half: they belong to no data direction.
    static let handshakeHalf: Int32 = -2

    /// Sends the call's SYN (client to server) or SYN-ACK (server to client).
    mutating func sendHandshake<Queue: EventQueue>(call: Int32, reply: Bool, _ simulation: inout Simulation<Queue>) {
        let connection = Int(calls[call].connection)
        let link = connections[connection]
        // IP and TCP headers and the SYN's options (MSS, SACK permitted, window scale, timestamps).
        let ip = Int64(Headers.ipv4 + Headers.tcp + 20)
        launch(
            Packet(
                flow: Int32(link.flow), half: Self.handshakeHalf, segment: Int64(call), cumulative: reply ? 1 : 0,
                ipBytes: Int32(ip), wireBytes: wireBytes(ip: ip, link), isAck: true, tracked: false, pathStart: 0,
                pathCount: 0,
                hop: -1),
            connection: connection, direction: reply ? 1 : 0, &simulation)
    }

    /// A SYN reached the server (its kernel answers at once) or a SYN-ACK the client (which
    /// wakes and sends the request on the new connection).
    mutating func handshakeArrived<Queue: EventQueue>(call: Int32, reply: Bool, _ simulation: inout Simulation<Queue>) {
        guard reply else {
            sendHandshake(call: call, reply: true, &simulation)
            return
        }
        let record = calls[call]
        let connection = Int(record.connection)
        for half in [connection * 2, connection * 2 + 1] { startAfresh(half: half, now: simulation.now) }
        sendMessage(
            kind: .request, flow: Int(record.flow), connection: connection, call: call, bytes: record.requestBytes,
            wakesSender: true, &simulation)
    }

    /// A new connection's sender state: the initial window, no RTT estimate (the initial
    /// timeout), BBR from startup. Calls of one flow between one pair of replicas share the
    /// model's connection, so a direction that still has data under way keeps its state.
    mutating func startAfresh(half: Int, now: SimTime) {
        guard halves[half].segments.isEmpty, queues(ofHalf: half).unsent.isEmpty else { return }
        halves[half].window = CongestionWindow(initial: Double(profile.tcpInitialWindow))
        halves[half].smoothedRTT = -1
        halves[half].rttVariation = 0
        halves[half].retransmissionTimeout = SimDuration.seconds(1).picoseconds
        if halves[half].pacer >= 0 {
            // A new model and new samples; the pacing schedule and its timer go on as they were.
            let index = Int(halves[half].pacer)
            var fresh = Pacer(
                bbr: BBR(
                    offloadBursts: pacers[index].bbr.offloadBursts, firstCycleIndex: pacers[index].bbr.firstCycleIndex,
                    handshakeRTT: handshakeRoundTrip(connection: half / 2, now: now), now: now))
            fresh.nextSendTime = pacers[index].nextSendTime
            fresh.burstLeft = pacers[index].burstLeft
            fresh.pacingTimerAt = pacers[index].pacingTimerAt
            fresh.pacingTimerArmed = pacers[index].pacingTimerArmed
            pacers[index] = fresh
        }
        halves[half].inFastRecovery = false
        halves[half].recoveringFromTimeout = false
    }

    /// The round trip a connection's handshake measures: the SYN one way and the SYN-ACK back,
    /// each costing what an acknowledgement costs at every hop (without the host's variability),
    /// serialised as a 60-byte IP packet, and waiting behind what each link has queued at `now`
    /// (nothing on the idle path at time zero); 0 on a path that costs nothing. BBR starts from it
    /// (``BBR/init(offloadBursts:firstCycleIndex:handshakeRTT:now:)``), so a connection opened
    /// into a queue that others built takes that queue for part of the path's delay, as Linux's
    /// does.
    func handshakeRoundTrip(connection: Int, now: SimTime = .zero) -> Int64 {
        let link = connections[connection]
        let bytes = Int64(wireBytes(ip: Int64(Headers.ipv4 + Headers.tcp + 20), link))
        var total: Int64 = 0
        for (start, count) in [(link.pathStart.0, link.pathCount.0), (link.pathStart.1, link.pathCount.1)] {
            for hop in hops[Int(start)..<(Int(start) + Int(count))] {
                switch hop.kind {
                case .cpu: total += Int64(saturating: (Double(hop.cost) * profile.tcpAckCost).rounded())
                case .delay: total += hop.cost
                case .link where links[Int(hop.index)].burstPicoseconds > 0: break  // within the burst
                case .link:
                    let link = links[Int(hop.index)]
                    total +=
                        max(0, link.busyUntil - now.picoseconds) + link.serializationPicoseconds(of: bytes)
                        + link.propagation
                }
            }
        }
        return total
    }
}
