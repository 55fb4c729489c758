import NetLabCore

/// Which flows of a grouping miss their service-level objective, and by how much.
public struct ObjectiveViolation: Sendable, Equatable {
    public var grouping: String
    public var flow: String
    /// What was missed, in words: "p99 412.3us > 300us".
    public var reason: String
}

extension GroupingResult {
    /// The objectives of `topology`'s flows this grouping misses (a flow with nothing delivered
    /// misses a p99 or throughput objective).
    public func violations(of topology: Topology) -> [ObjectiveViolation] {
        var violations: [ObjectiveViolation] = []
        for (index, flow) in flows.enumerated() {
            let objective = topology.flows[index].objective
            func miss(_ reason: String) {
                violations.append(ObjectiveViolation(grouping: name, flow: flow.name, reason: reason))
            }
            if let limit = objective.p99 {
                let p99 = Int64(flow.latency.valueAtPercentile(99)) * 1000
                if flow.messages == 0 {
                    miss("p99: nothing delivered (objective \(limit))")
                } else if p99 > limit.picoseconds {
                    miss("p99 \(SimDuration(picoseconds: p99)) > \(limit)")
                }
            }
            if let limit = objective.throughput, flow.throughputBitsPerSecond < Double(limit.bitsPerSecond) {
                miss("throughput \(BitRate(bitsPerSecond: Int64(flow.throughputBitsPerSecond.rounded()))) < \(limit)")
            }
            if let limit = objective.loss, flow.offeredMessages > 0 {
                let lost = Double(flow.lostMessages) / Double(flow.offeredMessages)
                if lost > limit { miss("loss \(formatShare(lost)) > \(formatShare(limit))") }
            }
        }
        return violations
    }
}

private func formatShare(_ value: Double) -> String {
    let percent = (value * 10_000).rounded() / 100
    return "\(percent)%"
}
