import NetLabCore
import NetLabStats

/// The metric whose confidence interval `--precision` narrows.
public enum PrecisionMetric: String, Sendable, CaseIterable {
    case p50, p99, mean, throughput
}

/// Where a replicated study stands against a precision target: the widest interval relative to
/// its mean over every flow and grouping that delivered anything.
public struct PrecisionStatus: Sendable, Equatable {
    /// The largest half-width divided by its mean (0.05 is ±5%).
    public var worstRelativeHalfWidth: Double
    public var flow: String
    public var grouping: String
    public var replications: Int
    public var metric: PrecisionMetric
    /// The half-width asked for, relative to the mean; nil when no target was set.
    public var target: Double?

    /// Whether every interval is as narrow as asked.
    public var isReached: Bool { target.map { worstRelativeHalfWidth <= $0 } ?? true }
}

extension ReplicatedResult {
    /// How wide the intervals of `metric` are: the flow and grouping whose 95% half-width is the
    /// largest share of its mean. Flows that delivered nothing have no relative width and are left out.
    public func precision(of metric: PrecisionMetric) -> PrecisionStatus {
        let first = replications[0]
        var status = PrecisionStatus(
            worstRelativeHalfWidth: 0, flow: "", grouping: "", replications: replications.count, metric: metric)
        for grouping in first.groupings.indices {
            for flow in first.groupings[grouping].flows.indices {
                let statistics = statistics(grouping: grouping, flow: flow)
                let interval: ConfidenceInterval =
                    switch metric {
                    case .p50: statistics.p50Nanoseconds
                    case .p99: statistics.p99Nanoseconds
                    case .mean: statistics.meanLatencyNanoseconds
                    case .throughput: statistics.throughputBitsPerSecond
                    }
                guard interval.mean > 0 else { continue }
                let relative = interval.halfWidth / interval.mean
                if relative > status.worstRelativeHalfWidth || status.flow.isEmpty {
                    status.worstRelativeHalfWidth = relative
                    status.flow = first.groupings[grouping].flows[flow].name
                    status.grouping = first.groupings[grouping].name
                }
            }
        }
        return status
    }
}

extension Experiment {
    /// Replications until every flow and grouping's `metric` has a 95% half-width within
    /// `target` of its mean (0.05: ±5%), or `maximum` replications have run. It starts with
    /// `initial` and adds batches sized from the current width (the width shrinks as 1/√n), never
    /// more than doubling at once; each batch runs on all cores. The batch sizes follow from the
    /// results alone, so the outcome does not depend on the number of cores.
    public static func replicate(
        _ topology: Topology, groupings: [Int], profile: CostProfile, seed: UInt64, initial: Int,
        precision target: Double, of metric: PrecisionMetric, maximum: Int,
        progress: (_ status: PrecisionStatus) -> Void = { _ in }
    ) -> (ReplicatedResult, PrecisionStatus) {
        precondition(initial >= 2 && maximum >= initial && target > 0, "a reachable precision study")
        var runs = replicate(topology, groupings: groupings, profile: profile, seed: seed, indices: 0..<initial)
        while true {
            let result = ReplicatedResult(runs)
            var status = result.precision(of: metric)
            status.target = target
            progress(status)
            if status.isReached || runs.count >= maximum { return (result, status) }
            let ratio = status.worstRelativeHalfWidth / target
            let needed = Int(saturating: (Double(runs.count) * ratio * ratio).rounded(.up))
            let batch = min(max(needed - runs.count, 2), runs.count, maximum - runs.count)
            runs += replicate(
                topology, groupings: groupings, profile: profile, seed: seed,
                indices: runs.count..<(runs.count + batch))
        }
    }
}
