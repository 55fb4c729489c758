import NetLabModel
import NetLabStats

extension SimulationReport {
    /// The ranking and verdict of replicated runs: groupings ordered by their mean worst p99
    /// over replications, and the leader against the runner-up with the paired difference's 95%
    /// interval (common random numbers make it tight), the flow where the leader gains most,
    /// and what each uses of the cluster. A difference whose interval reaches zero is called not
    /// significant.
    static func verdict(_ replicated: ReplicatedResult) -> (ranking: [String], text: String) {
        let first = replicated.replications[0]
        let count = replicated.replications.count
        func worst(_ grouping: Int) -> [Double] {
            replicated.replications.map { run in
                Double(
                    run.groupings[grouping].flows.filter { $0.messages > 0 }.map { $0.latency.valueAtPercentile(99) }
                        .max() ?? 0)
            }
        }
        let intervals = first.groupings.indices.map { ConfidenceInterval(worst($0)) }
        let order = first.groupings.indices.sorted { (intervals[$0].mean, $0) < (intervals[$1].mean, $1) }
        let ranking = order.map { first.groupings[$0].name }
        guard order.count > 1 else { return (ranking, "") }
        let (a, b) = (order[0], order[1])
        let (leader, runnerUp) = (first.groupings[a], first.groupings[b])
        let difference = ConfidenceInterval(zip(worst(b), worst(a)).map { $0 - $1 })
        let basis = "95%, paired over \(count) replications"
        var text: String
        if difference.mean - difference.halfWidth <= 0 {
            text =
                "\(leader.name) and \(runnerUp.name) are not significantly different: worst p99 \(interval(intervals[a], formatNanoseconds)) vs \(interval(intervals[b], formatNanoseconds)), difference \(interval(difference, formatNanoseconds)) (\(basis))"
        } else {
            text =
                "\(leader.name): worst p99 \(interval(intervals[a], formatNanoseconds)) vs \(interval(intervals[b], formatNanoseconds)) (\(runnerUp.name)), difference \(interval(difference, formatNanoseconds)) (\(basis))"
        }
        var gain: (flow: Int, difference: ConfidenceInterval)?
        for flow in leader.flows.indices {
            let values = replicated.replications.map { run -> Double in
                let ours = run.groupings[a].flows[flow], theirs = run.groupings[b].flows[flow]
                guard ours.messages > 0, theirs.messages > 0 else { return 0 }
                return Double(theirs.latency.valueAtPercentile(99)) - Double(ours.latency.valueAtPercentile(99))
            }
            let interval = ConfidenceInterval(values)
            if interval.mean - interval.halfWidth > 0, interval.mean > gain?.difference.mean ?? 0 {
                gain = (flow, interval)
            }
        }
        if let gain {
            let ours = replicated.statistics(grouping: a, flow: gain.flow).p99Nanoseconds
            let theirs = replicated.statistics(grouping: b, flow: gain.flow).p99Nanoseconds
            text +=
                "; most on \(leader.flows[gain.flow].name): p99 \(formatNanoseconds(ours.mean)) vs \(formatNanoseconds(theirs.mean)), difference \(interval(gain.difference, formatNanoseconds))"
        }
        let nodes = runnerUp.nodesUsed - leader.nodesUsed, pods = runnerUp.pods - leader.pods
        var uses: [String] = []
        if nodes != 0 { uses.append("\(abs(nodes)) node\(abs(nodes) == 1 ? "" : "s") \(nodes > 0 ? "fewer" : "more")") }
        if pods != 0 { uses.append("\(abs(pods)) pod\(abs(pods) == 1 ? "" : "s") \(pods > 0 ? "fewer" : "more")") }
        if !uses.isEmpty {
            text += "; \(leader.name) uses " + uses.joined(separator: " and ") + " than \(runnerUp.name)"
        }
        return (ranking, text)
    }
}
