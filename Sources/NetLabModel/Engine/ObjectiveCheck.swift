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
        flows.indices.flatMap { index in
            objectiveMisses(ofFlow: index, in: topology).map {
                ObjectiveViolation(grouping: name, flow: flows[index].name, reason: $0)
            }
        }
    }

    /// What the flow at `index` misses of its objective, in words (empty when it meets it).
    func objectiveMisses(ofFlow index: Int, in topology: Topology) -> [String] {
        let flow = flows[index]
        return topology.flows[index].objective.misses(
            p99: flow.messages > 0 ? Double(flow.latency.valueAtPercentile(99)) * 1000 : nil,
            throughput: flow.throughputBitsPerSecond,
            loss: flow.offeredMessages > 0 ? Double(flow.lostMessages) / Double(flow.offeredMessages) : nil)
    }
}

extension Flow.ServiceLevelObjective {
    /// How many objectives this is (p99, throughput, loss).
    public var count: Int { [p99 != nil, throughput != nil, loss != nil].filter { $0 }.count }

    /// What of this objective figures miss, in words ("p99 412.3us > 300us"): `p99` in
    /// picoseconds, nil when nothing was delivered; `throughput` in bits per second; `loss` the
    /// share of offered messages lost, nil when none were offered. One run's figures, or means
    /// over replications.
    public func misses(p99 picoseconds: Double?, throughput: Double, loss lost: Double?) -> [String] {
        var reasons: [String] = []
        if let limit = p99 {
            if let picoseconds {
                if picoseconds > Double(limit.picoseconds) {
                    reasons.append(
                        "p99 \(SimDuration(picoseconds: Int64(saturating: picoseconds.rounded()))) > \(limit)")
                }
            } else {
                reasons.append("p99: nothing delivered (objective \(limit))")
            }
        }
        if let limit = self.throughput, throughput < Double(limit.bitsPerSecond) {
            reasons.append("throughput \(BitRate(bitsPerSecond: Int64(saturating: throughput.rounded()))) < \(limit)")
        }
        if let limit = loss, let lost, lost > limit {
            reasons.append(
                "loss \(FigureText.percent(lost, decimals: 2)) > \(FigureText.percent(limit, decimals: 2))")
        }
        return reasons
    }
}
