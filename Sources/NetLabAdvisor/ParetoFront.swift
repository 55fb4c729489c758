import NetLabModel
import RealModule

/// The candidates worth showing side by side: none of them is beaten on every criterion by
/// another.
public enum ParetoFront {
    /// What a candidate costs, each to be minimised.
    public struct Costs: Equatable, Sendable {
        public var misses: Double
        /// Over the flows it delivers, the geometric mean of its mean p99 over the lowest mean
        /// p99 any candidate reached on that flow (1: best on every flow), as `netlab simulate`
        /// ranks groupings.
        public var relativeP99: Double
        /// Not a criterion: shown beside the relative p99.
        public var worstP99: Double
        public var nodes: Int
        public var cores: Int
        public var coupledPairs: Int

        func dominates(_ other: Costs) -> Bool {
            let noWorse =
                misses <= other.misses && relativeP99 <= other.relativeP99 && nodes <= other.nodes
                && cores <= other.cores
                && coupledPairs <= other.coupledPairs
            return noWorse && self != other
        }
    }

    /// Every candidate's costs; the relative p99 is against the best of `ranked` on each flow.
    static func costs(of ranked: [RacedCandidate], topology: Topology) -> [Costs] {
        let meanP99 = ranked.map { candidate in
            topology.flows.indices.map { flow -> Double? in
                let delivered = candidate.runs.filter { $0.flows[flow].messages > 0 }
                guard !delivered.isEmpty else { return nil }
                return delivered.reduce(0.0) { $0 + Double($1.flows[flow].latency.valueAtPercentile(99)) }
                    / Double(delivered.count)
            }
        }
        let best = topology.flows.indices.map { flow in meanP99.compactMap { $0[flow] }.min() ?? 0 }
        return ranked.indices.map { index in
            let candidate = ranked[index]
            let runs = Double(candidate.runs.count)
            let misses = candidate.runs.reduce(0.0) { $0 + Double($1.violations(of: topology).count) } / runs
            let worst =
                candidate.runs.reduce(0.0) { total, run in
                    total
                        + Double(
                            run.flows.filter { $0.messages > 0 }.map { $0.latency.valueAtPercentile(99) }.max() ?? 0)
                } / runs
            let logs = topology.flows.indices.compactMap { flow in
                meanP99[index][flow].map { Double.log(max($0, 1) / max(best[flow], 1)) }
            }
            return Costs(
                misses: misses, relativeP99: logs.isEmpty ? 1 : Double.exp(logs.reduce(0, +) / Double(logs.count)),
                worstP99: worst, nodes: candidate.runs[0].nodesUsed, cores: candidate.runs[0].coresUsed,
                coupledPairs: coupledPairs(in: candidate.grouping, topology: topology))
        }
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
    static func indices(of all: [Costs]) -> [Int] {
        all.indices.filter { index in !all.contains { $0.dominates(all[index]) } }
    }
}

extension Advice {
    /// Candidate `index`'s costs: mean objectives missed, relative and worst p99 over its
    /// replications, nodes and cores used, pairs coupled in one pod.
    public func costs(of index: Int) -> ParetoFront.Costs { allCosts[index] }
}
