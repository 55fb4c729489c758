import NetLabCore

extension GroupingRun {
    /// Injects a message of a replayed conversation now: the sending application hands `bytes` to
    /// its transport (client side unless `fromServer`). The conversation keeps the connection it
    /// was given on its first message (replica pairs are handed out round-robin per conversation).
    /// - Precondition: `flow` has the `.replayed` pattern.
    public mutating func inject<Queue: EventQueue>(
        flow: Int, conversation: Int, fromServer: Bool, bytes: Int64, _ simulation: inout Simulation<Queue>
    ) {
        precondition(conversation >= 0 && conversation < Int(Int32.max), "conversation index out of range")
        while replayConnections.count <= conversation { replayConnections.append(-1) }
        if replayConnections[conversation] < 0 { replayConnections[conversation] = Int32(nextConnectionOf(flow: flow)) }
        let connection = Int(replayConnections[conversation])
        offer(flow: flow, bytes: bytes, now: simulation.now)
        sendMessage(
            kind: .replayed, flow: flow, connection: connection, call: Int32(conversation), bytes: max(1, bytes),
            fromServer: fromServer, &simulation)
    }

    /// Deliveries since the last call, in order; clears them.
    public mutating func takeDeliveries() -> [(conversation: Int32, fromServer: Bool, bytes: Int64, time: SimTime)] {
        defer { replayDeliveries.removeAll(keepingCapacity: true) }
        return replayDeliveries
    }

    /// The path class of the connection a replayed conversation uses (nil before its first message).
    public func pathClass(ofConversation conversation: Int) -> PathClass? {
        guard conversation < replayConnections.count, replayConnections[conversation] >= 0 else { return nil }
        return connections[Int(replayConnections[conversation])].pathClass
    }

    /// The results so far.
    public func currentResult(events: UInt64) -> GroupingResult { result(events: events) }
}
