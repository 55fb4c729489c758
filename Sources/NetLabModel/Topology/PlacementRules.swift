/// What a topology says about where its containers may go, beyond CPU requests: the seed's three
/// questions (must they share a host? are they one whole? do they scale together?) as rules
/// `netlab advise` obeys when it searches groupings.
public struct PlacementRules: Sendable, Equatable {
    /// Groups of containers that must run on the same nodes (`same_host`): every node that holds
    /// a replica of one holds a replica of each of the others.
    public var sameHost: [[Int]] = []
    /// Groups of containers that must never share a pod or a node (`separate`, anti-affinity).
    public var separate: [[Int]] = []
    /// How `netlab advise` may place a pod's replicas (`replica_spread`).
    public var replicaSpread = ReplicaSpread.even

    public init(sameHost: [[Int]] = [], separate: [[Int]] = [], replicaSpread: ReplicaSpread = .even) {
        self.sameHost = sameHost
        self.separate = separate
        self.replicaSpread = replicaSpread
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

/// How a pod's replicas may be placed on the nodes.
public enum ReplicaSpread: String, Sendable, CaseIterable {
    /// As evenly as the nodes allow (the replica counts of any two nodes differ by at most one),
    /// as Kubernetes' default topology spread places a Deployment's replicas: one node lost
    /// never takes every replica.
    case even
    /// Anywhere, stacked on one node too (for studies of packing).
    case any
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
