import NetLabCore
import NetLabModel
import NetLabStats

extension SimulationReport {
    /// The verdict in words, the same in every output: the leader and the runner-up, on what
    /// they were told apart (objectives, relative p99 with its interval, or a tie), the flows
    /// that differ most and the stages that make their tails differ, the flows no grouping moves,
    /// and what each uses of the cluster.
    static func verdictText(_ verdict: Verdict, _ replicated: ReplicatedResult) -> String {
        let result = replicated.replications[0]
        guard verdict.ranking.count > 1, let margin = verdict.margin else { return "" }
        let (a, b) = (verdict.ranking[0], verdict.ranking[1])
        let (leader, runnerUp) = (verdict.groupingNames[a], verdict.groupingNames[b])
        let (ours, theirs) = (verdict.standings[a], verdict.standings[b])
        let isReplicated = verdict.replications > 1
        let basis = "95%, paired over \(verdict.replications) replications"
        func relative(_ value: ConfidenceInterval) -> String {
            isReplicated ? interval(value) { fixed($0, 2) } : fixed(value.mean, 2)
        }
        var text: String
        switch verdict.call {
        case .alone:
            return ""
        case .objectives:
            text =
                "\(leader): meets \(ours.objectives - ours.misses.count) of \(ours.objectives) objectives, \(runnerUp) \(theirs.objectives - theirs.misses.count)"
            if let miss = theirs.misses.first { text += " (\(runnerUp) misses \(miss.flow): \(miss.reason))" }
            text += "; relative p99 \(relative(ours.relativeP99)) vs \(relative(theirs.relativeP99))"
            text += isReplicated ? ", difference \(interval(margin) { fixed($0, 2) }) (\(basis))" : ""
        case .leads:
            text =
                "\(leader): relative p99 \(relative(ours.relativeP99)) vs \(relative(theirs.relativeP99)) (\(runnerUp))"
            text += isReplicated ? ", difference \(interval(margin) { fixed($0, 2) }) (\(basis))" : ""
        case .tie:
            text =
                isReplicated
                ? "\(leader) and \(runnerUp) are not significantly different: relative p99 \(relative(ours.relativeP99)) vs \(relative(theirs.relativeP99)), difference \(interval(margin) { fixed($0, 2) }) (\(basis))"
                : "\(leader) and \(runnerUp) tie: relative p99 \(relative(ours.relativeP99)) vs \(relative(theirs.relativeP99)), within 2% in one run (use --replications to tell them apart)"
        }
        let shown = verdict.differences.prefix(2).map { difference in
            let name = verdict.flowNames[difference.flow]
            let change = isReplicated ? ", difference \(durationInterval(difference.difference))" : ""
            return
                "\(name) p99 \(formatNanoseconds(difference.leader)) vs \(formatNanoseconds(difference.runnerUp))\(change)"
                + stagesText(flow: difference.flow, groupings: (a, b), in: verdict, runs: replicated)
        }
        if !shown.isEmpty, verdict.call != .tie { text += "; " + shown.joined(separator: "; ") }
        if !isReplicated, verdict.call == .leads { text += " (one run: see --replications for intervals)" }
        if !verdict.unaffectedFlows.isEmpty {
            let names = verdict.unaffectedFlows.prefix(4).map { "\(verdict.flowNames[$0.flow]) (\($0.path.rawValue))" }
            let more = verdict.unaffectedFlows.count > 4 ? " and \(verdict.unaffectedFlows.count - 4) more" : ""
            text += "; unaffected, on the same path in every grouping: " + names.joined(separator: ", ") + more
        }
        let limited = [a, b].filter { !result.groupings[$0].limits.isEmpty }.map { index in
            "\(verdict.groupingNames[index]) by "
                + result.groupings[index].limits.prefix(2).map(\.summary).joined(separator: ", ")
        }
        if !limited.isEmpty { text += "; limited: " + limited.joined(separator: "; ") }
        let first = result.groupings[a], second = result.groupings[b]
        let nodes = second.nodesUsed - first.nodesUsed, pods = second.pods - first.pods
        var uses: [String] = []
        if nodes != 0 { uses.append("\(abs(nodes)) node\(abs(nodes) == 1 ? "" : "s") \(nodes > 0 ? "fewer" : "more")") }
        if pods != 0 { uses.append("\(abs(pods)) pod\(abs(pods) == 1 ? "" : "s") \(pods > 0 ? "fewer" : "more")") }
        if !uses.isEmpty { text += "; \(leader) uses " + uses.joined(separator: " and ") + " than \(runnerUp)" }
        return text
    }

    /// " (tail 44.1us longer in b: wake-ups 31.2us, veth/bridge/NIC 9.8us)": the stages that
    /// make the slower grouping's tail of `flow` slower, pooled over the replications; empty
    /// when the tails are not apart by at least 1%.
    static func stagesText(
        flow: Int, groupings: (Int, Int), in verdict: Verdict, runs replicated: ReplicatedResult
    ) -> String {
        let tails = [groupings.0, groupings.1].map { grouping in
            LatencyBreakdown.pooledTail(of: replicated.replications.map { $0.groupings[grouping].flows[flow] })
        }
        guard let first = tails[0], let second = tails[1] else { return "" }
        let (firstTotal, secondTotal) = (first.mean.values.reduce(0, +), second.mean.values.reduce(0, +))
        let slowerIsSecond = secondTotal >= firstTotal
        let difference = StageDifference(
            faster: slowerIsSecond ? first : second, slower: slowerIsSecond ? second : first)
        guard difference.total > 0.01 * min(firstTotal, secondTotal), let stages = difference.text else { return "" }
        let slower = verdict.groupingNames[slowerIsSecond ? groupings.1 : groupings.0]
        return
            " (tail \(FigureText.duration(nanoseconds: difference.total / 1000)) longer in \(slower): \(stages))"
    }

    /// How the groupings were ranked, and their order with each one's relative p99.
    static func rankingLine(_ verdict: Verdict) -> String {
        let objectives = verdict.standings.contains { $0.objectives > 0 }
        let basis = objectives ? "objectives met, then relative p99" : "relative p99"
        let over = verdict.replications > 1 ? " (mean of \(verdict.replications) replications)" : ""
        let order = verdict.ranking.map {
            "\(verdict.groupingNames[$0]) \(fixed(verdict.standings[$0].relativeP99.mean, 2))"
        }
        return "ranked by \(basis)\(over): " + order.joined(separator: " < ")
    }

    /// The verdict of `replicated`, as (ranking by name, text) for JSON and the table.
    static func verdict(_ replicated: ReplicatedResult) -> (verdict: Verdict, ranking: [String], text: String) {
        let verdict = Verdict(replicated)
        return (
            verdict, verdict.ranking.map { verdict.groupingNames[$0] },
            verdictText(verdict, replicated)
        )
    }
}
