import NetLabCore

/// Streams: their start (at time zero or at their `start`) and the writer that keeps each
/// connection's send buffer full.
extension GroupingRun {
    /// A stream's connections start writing. Their handshakes are taken to have been made just
    /// before, so a BBR connection's minimum RTT is the handshake's round trip through the queues
    /// of this moment, and dates from now.
    mutating func startStream<Queue: EventQueue>(flow: Int, _ simulation: inout Simulation<Queue>) {
        for connection in flowConnections[flow] {
            // A BBR connection's two halves both have a pacer; other connections' neither.
            if halves[Int(connection) * 2].pacer >= 0 {
                let handshake = handshakeRoundTrip(connection: Int(connection), now: simulation.now)
                for half in Int(connection) * 2...Int(connection) * 2 + 1 {
                    let pacer = Int(halves[half].pacer)
                    if handshake > 0 { pacers[pacer].bbr.minimumRTT = handshake }
                    pacers[pacer].bbr.minimumRTTStamp = simulation.now
                }
            }
            refillStream(connection: Int(connection), &simulation)
        }
    }

    /// Keeps a stream's writer writing 64 KiB chunks until its send buffer is full (one write
    /// then waits for room) or the stream's size is reached.
    mutating func refillStream<Queue: EventQueue>(connection: Int, _ simulation: inout Simulation<Queue>) {
        let flow = connections[connection].flow
        guard case .stream = topology.flows[flow].pattern else { return }
        guard !costsNothing(connection: connection) else {
            let warning =
                "flow \(topology.flows[flow].name): a stream over \(connections[connection].pathClass.rawValue) costs nothing under profile \(profile.name), so it would move unbounded data in no time; it was not simulated (give the profile a copy cost, e.g. copy_per_byte, or put the pair on a link)"
            if !warnings.contains(warning) { warnings.append(warning) }
            return
        }
        while queues(ofHalf: connection * 2).blockedWrites.isEmpty, streamBytesLeft[flow] > 0, simulation.now < end {
            let chunk = min(Self.streamChunk, streamBytesLeft[flow])
            streamBytesLeft[flow] -= chunk
            offer(flow: flow, bytes: chunk, now: simulation.now)
            sendMessage(kind: .chunk, flow: flow, connection: connection, call: -1, bytes: chunk, &simulation)
        }
    }
}
