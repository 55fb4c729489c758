import NetLabCore

/// The model's one seam to whatever drives it from outside (such as a captured trace): messages
/// of `.injected` flows go in through `inject`, and with `pausesOnDelivery` each delivery pauses
/// the simulation and waits in `takeDeliveries()`, so the driver is called back, in effect, at
/// every delivery and can inject what depends on it before time moves on. (A stored closure
/// could not act on the run that calls it, so the call-back is the pause.)
extension GroupingRun {
    /// Injects a message of `conversation` now: the sending application hands `bytes` to its
    /// transport (client side unless `fromServer`). A conversation keeps the connection it was
    /// given on its first message (replica pairs are handed out round-robin per conversation).
    /// - Precondition: `flow` has the `.injected` pattern.
    public mutating func inject<Queue: EventQueue>(
        flow: Int, conversation: Int, fromServer: Bool, bytes: Int64, _ simulation: inout Simulation<Queue>
    ) {
        precondition(conversation >= 0 && conversation < Int(Int32.max), "conversation index out of range")
        while injectedConnections.count <= conversation { injectedConnections.append(-1) }
        if injectedConnections[conversation] < 0 {
            injectedConnections[conversation] = Int32(nextConnectionOf(flow: flow))
        }
        let connection = Int(injectedConnections[conversation])
        offer(flow: flow, bytes: bytes, now: simulation.now)
        sendMessage(
            kind: .injected, flow: flow, connection: connection, call: Int32(conversation), bytes: max(1, bytes),
            fromServer: fromServer, &simulation)
    }

    /// Deliveries since the last call, in order; clears them.
    public mutating func takeDeliveries() -> [Delivery] {
        defer { deliveries.removeAll(keepingCapacity: true) }
        return deliveries
    }

    /// The path class of the connection a conversation uses (nil before its first message).
    public func pathClass(ofConversation conversation: Int) -> PathClass? {
        guard conversation < injectedConnections.count, injectedConnections[conversation] >= 0 else { return nil }
        return connections[Int(injectedConnections[conversation])].pathClass
    }

    /// The results so far.
    public func currentResult(events: UInt64) -> GroupingResult { result(events: events) }
}

/// An injected message that reached its receiving application.
public struct Delivery: Sendable, Equatable {
    /// The conversation it was injected in.
    public var conversation: Int
    /// Whether the server side sent it.
    public var fromServer: Bool
    public var bytes: Int64
    /// When the receiving application had all of it.
    public var time: SimTime
}
