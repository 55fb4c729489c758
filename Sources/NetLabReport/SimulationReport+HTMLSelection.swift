import NetLabModel

extension SimulationReport {
    /// The most flows an HTML page draws (a latency chart, a table and bars each), and the most
    /// lines any of its lists holds: a cluster's hundred thousand flows made a 170 MB page that no
    /// browser opens. JSON and CSV carry every flow.
    static let htmlFlowLimit = 100

    /// The flows (indices, in the topology's order) an HTML page draws: all of them up to
    /// ``htmlFlowLimit``, else the flows that miss an objective somewhere, then those whose p99
    /// differs most between the groupings (with one grouping: the slowest).
    static func flowsShown(_ replicated: ReplicatedResult, judged: Verdict) -> [Int] {
        let result = replicated.replications[0]
        let flowCount = result.groupings.first?.flows.count ?? 0
        guard flowCount > htmlFlowLimit else { return Array(0..<flowCount) }
        let missing = Set(judged.standings.flatMap { $0.misses.map(\.flow) })
        func rank(_ index: Int) -> (Bool, Double, Double) {
            let p99s = result.groupings.map { grouping -> Double in
                let flow = grouping.flows[index]
                return flow.messages > 0 ? Double(flow.latency.valueAtPercentile(99)) : .infinity
            }
            let slowest = p99s.max() ?? 0
            let fastest = max(p99s.min() ?? 0, 1)
            let spread = slowest.isFinite ? slowest / fastest : .infinity
            return (missing.contains(result.groupings[0].flows[index].name), spread, slowest)
        }
        let ranks = (0..<flowCount).map(rank)
        let chosen = (0..<flowCount).sorted { a, b in
            let (x, y) = (ranks[a], ranks[b])
            if x.0 != y.0 { return x.0 }
            if x.1 != y.1 { return x.1 > y.1 }
            if x.2 != y.2 { return x.2 > y.2 }
            return a < b
        }
        return chosen.prefix(htmlFlowLimit).sorted()
    }

    /// `lines` cut to ``htmlFlowLimit``, the last saying how many more there are and where they are.
    static func htmlCapped(_ lines: [String], more noun: String) -> [String] {
        guard lines.count > htmlFlowLimit else { return lines }
        return Array(lines.prefix(htmlFlowLimit))
            + ["… and \(lines.count - htmlFlowLimit) more \(noun) (JSON and CSV carry them all)"]
    }
}
