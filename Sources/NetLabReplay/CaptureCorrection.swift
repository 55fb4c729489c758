import NetLabCore
import NetLabModel

/// Where a capture was taken: the grouping that matches the placement it was made in, and the
/// capture point there.
public struct CaptureOrigin: Sendable {
    /// Index into the topology's groupings.
    public var grouping: Int
    public var point: CapturePoint

    public init(grouping: Int, point: CapturePoint) {
        self.grouping = grouping
        self.point = point
    }
}

/// What the model says the captured path itself cost on each side of the capture point, per
/// message, so that a captured gap between two messages can be turned into the application's own
/// time (server processing, client think time): the gap from the end of one message to the start
/// of the next, at the capture point, holds the receiving host's work after the point for the
/// first and the sending host's work before the point for the second, which the simulation
/// charges again.
///
/// Costs come from the captured grouping in every replayed grouping, so the application's gaps
/// are the same whatever placement replays them.
struct CaptureCorrection {
    let origin: CaptureOrigin
    private let run: GroupingRun
    private var memo: [Key: CaptureSplit] = [:]

    private struct Key: Hashable {
        var flow: Int
        var fromServer: Bool
        var bytes: Int64
    }

    init(origin: CaptureOrigin, topology: Topology, profile: CostProfile, seed: UInt64) {
        self.origin = origin
        run = GroupingRun(topology: topology, grouping: origin.grouping, profile: profile, seed: seed)
    }

    /// The extra a receiver woken on an idle core pays after `idle` picoseconds idle.
    func idleWakeupExtra(afterIdle idle: Int64) -> Int64 { run.idleWakeupExtra(afterIdle: idle) }

    /// Why the capture point does not fit `flow`'s path in the captured grouping, if it does not.
    func problem(flow: Int) -> String? { run.captureProblem(flow: flow, at: origin.point) }

    /// The model's unloaded costs of a message of `flow` on each side of the capture point.
    mutating func split(flow: Int, fromServer: Bool, bytes: Int64) -> CaptureSplit {
        let key = Key(flow: flow, fromServer: fromServer, bytes: bytes)
        if let known = memo[key] { return known }
        let split = run.captureSplit(flow: flow, fromServer: fromServer, bytes: bytes, at: origin.point)
        if memo.count < 100_000 { memo[key] = split }
        return split
    }
}
