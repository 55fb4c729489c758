/// What a topology says about where its containers may go, beyond CPU requests: the seed's three
/// questions (must they share a host? are they one whole? do they scale together?) as rules
/// `netlab advise` obeys when it searches groupings.
public struct PlacementRules: Sendable, Equatable {
    /// Groups of containers that must run on the same nodes (`same_host`): every node that holds
    /// a replica of one holds a replica of each of the others.
    public var sameHost: [[Int]] = []
    /// Groups of containers that must never share a pod or a node (`separate`, anti-affinity).
    public var separate: [[Int]] = []

    public init(sameHost: [[Int]] = [], separate: [[Int]] = []) {
        self.sameHost = sameHost
        self.separate = separate
    }

    /// Whether `a` and `b` must be on the same nodes.
    public func mustShareHost(_ a: Int, _ b: Int) -> Bool {
        sameHost.contains { $0.contains(a) && $0.contains(b) }
    }

    /// Whether `a` and `b` must be kept apart.
    public func mustBeSeparate(_ a: Int, _ b: Int) -> Bool {
        separate.contains { $0.contains(a) && $0.contains(b) }
    }
}

/// How a container scales, the third of the seed's questions.
public enum Scaling: Sendable, Equatable {
    /// Nothing said: it may share a pod with containers of the same replica count, at the price
    /// of scaling with them.
    case unspecified
    /// It scales on its own (its own autoscaler, its own rollout): it cannot share a pod.
    case independent
    /// It scales with these containers: sharing a pod with them costs nothing in scaling.
    case with([Int])
}
