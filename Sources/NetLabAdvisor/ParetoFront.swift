import NetLabModel

/// The candidates worth showing side by side: none of them is beaten on every criterion by
/// another.
public enum ParetoFront {
    /// What a candidate costs, each to be minimised.
    public struct Costs: Equatable, Sendable {
        public var misses: Double
        public var worstP99: Double
        public var nodes: Int
        public var cores: Int
        public var coupledPairs: Int

        func dominates(_ other: Costs) -> Bool {
            let noWorse =
                misses <= other.misses && worstP99 <= other.worstP99 && nodes <= other.nodes && cores <= other.cores
                && coupledPairs <= other.coupledPairs
            return noWorse && self != other
        }
    }

    static func costs(of candidate: RacedCandidate, topology: Topology) -> Costs {
        let runs = Double(candidate.runs.count)
        let misses = candidate.runs.reduce(0.0) { $0 + Double($1.violations(of: topology).count) } / runs
        let worst =
            candidate.runs.reduce(0.0) { total, run in
                total + Double(run.flows.filter { $0.messages > 0 }.map { $0.latency.valueAtPercentile(99) }.max() ?? 0)
            } / runs
        return Costs(
            misses: misses, worstP99: worst, nodes: candidate.runs[0].nodesUsed, cores: candidate.runs[0].coresUsed,
            coupledPairs: coupledPairs(in: candidate.grouping, topology: topology))
    }

    /// Pairs of containers in one pod that do not scale together (`scales_with`): each ties
    /// the scaling of two containers that could have scaled apart.
    static func coupledPairs(in grouping: Grouping, topology: Topology) -> Int {
        var count = 0
        for pod in grouping.pods {
            for (slot, a) in pod.containers.enumerated() {
                for b in pod.containers[(slot + 1)...]
                where !topology.containers[a].scalesTogether(a, with: topology.containers[b], at: b) {
                    count += 1
                }
            }
        }
        return count
    }

    /// Indices (into `ranked`) of the candidates no other dominates, in `ranked`'s order.
    static func indices(of ranked: [RacedCandidate], topology: Topology) -> [Int] {
        let all = ranked.map { costs(of: $0, topology: topology) }
        return ranked.indices.filter { index in !all.contains { $0.dominates(all[index]) } }
    }
}

extension Advice {
    /// Candidate `index`'s costs: mean objectives missed and worst p99 (ns) over its
    /// replications, nodes and cores used, pairs coupled in one pod.
    public func costs(of index: Int) -> ParetoFront.Costs { ParetoFront.costs(of: ranked[index], topology: topology) }
}
