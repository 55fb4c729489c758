import NetLabModel
import RealModule

/// What the advisor minimises, one replication of one grouping at a time: first the number of
/// flows that miss their objective or deliver nothing, then a latency figure over the flows.
public enum AdviceObjective: String, Sendable, CaseIterable {
    /// The geometric mean of the flows' p99: every flow's relative gain counts alike, so a
    /// slow bulk flow does not hide what happens to a fast one. It orders groupings as
    /// `netlab simulate`'s relative p99 does (dividing each flow by its best p99 is the same
    /// factor for every candidate). The default.
    case meanP99 = "mean-p99"
    /// The worst p99 across flows: the slowest flow alone decides, even one no grouping moves.
    case worstP99 = "worst-p99"

    /// The score of `result` (lower is better): misses × 10¹⁵ plus the latency figure in
    /// nanoseconds, so one more miss outweighs any latency.
    func score(_ result: GroupingResult, topology: Topology) -> Double {
        let misses =
            result.violations(of: topology).count
            + result.flows.filter { $0.messages == 0 && $0.offeredMessages > 0 }.count
        let p99s = result.flows.filter { $0.messages > 0 }.map { Double($0.latency.valueAtPercentile(99)) }
        let latency: Double
        switch self {
        case .worstP99: latency = p99s.max() ?? 0
        case .meanP99:
            latency =
                p99s.isEmpty ? 0 : Double.exp(p99s.reduce(0) { $0 + Double.log(max($1, 1)) } / Double(p99s.count))
        }
        return Double(misses) * 1e15 + latency
    }
}
