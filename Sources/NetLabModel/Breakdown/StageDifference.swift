import NetLabCore

/// What makes one tail slower than another, stage by stage: the stages where the slower spends
/// more, largest first, as many as it takes to account for 90% of the whole difference (at most
/// four). The verdict and the advice name them ("wake-ups 31.2us, veth/bridge/NIC 9.8us").
public struct StageDifference: Sendable {
    /// The stages named, each with the extra mean picoseconds per tail message in the slower.
    public var stages: [(stage: Stage, picoseconds: Double)]
    /// The whole difference of the two tails' means, in picoseconds (negative: not slower).
    public var total: Double

    public init(faster: LatencyBreakdown.Tail, slower: LatencyBreakdown.Tail) {
        let extra = Stage.allCases.map { ($0, (slower.mean[$0] ?? 0) - (faster.mean[$0] ?? 0)) }
        total = extra.reduce(0) { $0 + $1.1 }
        stages = []
        guard total > 0 else { return }
        var covered = 0.0
        for (stage, value) in extra.sorted(by: { $0.1 > $1.1 }) where value > 0 {
            guard covered < 0.9 * total, stages.count < 4 else { break }
            stages.append((stage, value))
            covered += value
        }
    }

    /// The named stages and what each adds, or nil when the slower tail is not slower.
    public var text: String? {
        guard !stages.isEmpty else { return nil }
        let named = stages.reduce(0) { $0 + $1.picoseconds }
        let offset =
            named > 1.1 * total
            ? ", less in others by \(FigureText.duration(nanoseconds: (named - total) / 1000))" : ""
        return stages.map { "\($0.stage.label) \(FigureText.duration(nanoseconds: $0.picoseconds / 1000))" }
            .joined(separator: ", ") + offset
    }
}

extension LatencyBreakdown {
    /// The tail of one flow pooled over runs (replications, or the runs of a raced candidate):
    /// every run's messages from the band of the runs' mean p99 up; nil when none completed a
    /// message.
    public static func pooledTail(of runs: [GroupingResult.FlowResult]) -> Tail? {
        let completed = runs.filter { $0.messages > 0 }
        guard !completed.isEmpty else { return nil }
        var pooled = LatencyBreakdown()
        for run in completed { pooled.merge(run.breakdown) }
        let p99 = completed.reduce(0.0) { $0 + Double($1.latency.valueAtPercentile(99)) } / Double(completed.count)
        return pooled.tail(from: .picoseconds(Int64(saturating: p99 * 1000)))
    }
}
