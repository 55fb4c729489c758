import NetLabCore
import NetLabModel

extension SimulationReport {
    /// Per flow, one column group per grouping (path, p50, p99, throughput, drops), the grouping
    /// with the lowest p99 marked `*`; then node CPU and link utilisation side by side.
    /// With `replications` above 1, `result` is the first of them and intervals follow.
    public static func table(_ result: SimulationResult) -> String {
        table(result, replications: 1, judged: verdict(ReplicatedResult([result])))
    }

    static func table(
        _ result: SimulationResult, replications: Int,
        judged: (verdict: Verdict, ranking: [String], text: String)
    ) -> String {
        var output =
            "\(result.topology): \(result.groupings.count) grouping(s), \(formatDuration(result.duration.picoseconds)) simulated"
        output += result.warmup.picoseconds > 0 ? " after \(formatDuration(result.warmup.picoseconds)) warm-up" : ""
        output += "\nprofile \(result.profile), seed \(result.seed)\n"
        if replications > 1 {
            output +=
                "figures below are replication 1 of \(replications); rel p99, the ranking, verdict and intervals are over all \(replications)\n"
        }
        let groupingLabels = ShortNames(result.groupings.map(\.name), limit: ShortNames.groupingLimit)
        let flowLabels = ShortNames(result.groupings.first?.flows.map(\.name) ?? [], limit: ShortNames.flowLimit)
        output += "\n" + groupingSummary(result, judged: judged, labels: groupingLabels.labels)
        output += groupingLabels.legendText(title: "groupings in full") + "\n"
        // One row per flow and grouping, so that any number of groupings fits a terminal.
        var flows = TextTable(columns: [
            .init("flow"), .init("grouping"), .init("path"), .init("p50", alignment: .right),
            .init("p99", alignment: .right),
            .init("throughput", alignment: .right), .init("delivered", alignment: .right),
            .init("drops", alignment: .right),
        ])
        let flowCount = result.groupings.first?.flows.count ?? 0
        for index in 0..<flowCount {
            let candidates = result.groupings.map { $0.flows[index] }
            let lowest = candidates.filter { $0.messages > 0 }.map { $0.latency.valueAtPercentile(99) }.min()
            for (groupingIndex, flow) in candidates.enumerated() {
                let best = candidates.count > 1 && flow.messages > 0 && flow.latency.valueAtPercentile(99) == lowest
                let drops = flow.dropped + flow.lostMessages
                flows.append([
                    groupingIndex == 0 ? flowLabels.labels[index] : "", groupingLabels.labels[groupingIndex],
                    flow.path.rawValue + (flow.pathMix.isEmpty ? "" : "+") + (best ? " *" : ""),
                    flow.messages > 0 ? formatNanoseconds(flow.latency.valueAtPercentile(50)) : "-",
                    flow.messages > 0 ? formatNanoseconds(flow.latency.valueAtPercentile(99)) : "-",
                    formatRate(flow.throughputBitsPerSecond),
                    flow.offeredMessages > 0
                        ? FigureText.percent(Double(flow.messages) / Double(flow.offeredMessages))
                            + (flow.unstable ? " !" : "") : "-",
                    "\(drops)",
                ])
            }
        }
        output += flows.rendered()
        output += "* lowest p99 for the flow (every grouping that ties); '+' the flow's replicas take more than\n"
        output += "one path class; delivered: messages finished of those offered; '!' backlog grew all run\n"
        output += flowLabels.legendText(title: "flows in full") + "\n"

        let nodeNames = result.groupings.first?.nodes.map(\.name) ?? []
        output +=
            TextTable.grid(
                corner: "node CPU", rowNames: nodeNames, columnTitle: "grouping", columnNames: groupingLabels.labels,
                valueTitle: "busy",
                cells: nodeNames.indices.map { node in
                    result.groupings.map { FigureText.percent($0.nodes[node].cpuUtilization) }
                }) + "\n"
        let linkNames = result.groupings.first?.links.map(\.name) ?? []
        let links = TextTable.grid(
            corner: "link", rowNames: linkNames, columnTitle: "grouping", columnNames: groupingLabels.labels,
            valueTitle: "utilisation",
            cells: linkNames.indices.map { link in
                result.groupings.map {
                    let value = $0.links[link]
                    return FigureText.percent(value.utilization)
                        + (value.dropped > 0 ? " (\(value.dropped) dropped)" : "")
                }
            })
        output += links
        output +=
            "\n"
            + wrap("events: " + result.groupings.map { "\($0.name) \($0.events)" }.joined(separator: ", "), width: 100)
            + "\n"
        for (index, grouping) in result.groupings.enumerated() {
            for miss in judged.verdict.standings[index].misses {
                output += wrap("SLO missed: \(grouping.name): \(miss.flow): \(miss.reason)", width: 100) + "\n"
            }
            for limit in grouping.limits {
                output += wrap("limit: \(grouping.name): \(limit.description)", width: 100) + "\n"
            }
            for warning in grouping.warnings {
                output += wrap("warning: \(grouping.name): \(warning)", width: 100) + "\n"
            }
        }
        return output
    }

    /// One row per grouping: what it uses of the cluster, its worst p99 and relative p99, its
    /// objectives, cross-node traffic and busiest node; then the ranking and the verdict.
    static func groupingSummary(
        _ result: SimulationResult, judged: (verdict: Verdict, ranking: [String], text: String), labels: [String]
    ) -> String {
        var table = TextTable(columns: [
            .init("grouping"), .init("pods", alignment: .right), .init("nodes", alignment: .right),
            .init("cores", alignment: .right),
            .init("worst p99", alignment: .right), .init("rel p99", alignment: .right),
            .init("SLOs met", alignment: .right), .init("cross-node", alignment: .right),
            .init("peak CPU", alignment: .right),
        ])
        let verdict = judged.verdict
        for (index, grouping) in result.groupings.enumerated() {
            let delivered = grouping.flows.filter { $0.messages > 0 }
            let p99 = delivered.map { $0.latency.valueAtPercentile(99) }.max() ?? 0
            let standing = verdict.standings[index]
            let crossNode = grouping.flows.filter { $0.path == .crossNode }.reduce(0.0) {
                $0 + $1.throughputBitsPerSecond
            }
            table.append([
                labels[index], "\(grouping.pods)", "\(grouping.nodesUsed)", "\(grouping.coresUsed)",
                delivered.isEmpty ? "-" : formatNanoseconds(p99), fixed(standing.relativeP99.mean, 2),
                standing.objectives == 0
                    ? "-" : "\(standing.objectives - standing.misses.count)/\(standing.objectives)",
                formatRate(crossNode),
                FigureText.percent(grouping.nodes.map(\.cpuUtilization).max() ?? 0),
            ])
        }
        var output = table.rendered()
        if result.groupings.count > 1 {
            output += wrap(rankingLine(verdict), width: 100) + "\n"
            output += wrap("verdict: " + judged.text, width: 100) + "\n"
            output += "rel p99: per flow the groupings affect, p99 over the best grouping's, geometrically averaged\n"
        }
        return output
    }

    /// `text` broken at spaces into lines of at most `width` characters, continuation lines
    /// indented by two; a word longer than a line is cut across lines.
    static func wrap(_ text: String, width: Int) -> String {
        let indent = "  "
        var lines: [String] = [], line = ""
        var isFresh: Bool { line.isEmpty || line == indent }
        var lead: Int { isFresh ? line.count : line.count + 1 }
        for word in text.split(separator: " ") {
            var rest = Substring(word)
            if !isFresh, lead + rest.count > width {
                lines.append(line)
                line = indent
            }
            while lead + rest.count > width {
                let room = width - lead
                line += (isFresh ? "" : " ") + rest.prefix(room)
                rest = rest.dropFirst(room)
                lines.append(line)
                line = indent
            }
            if !rest.isEmpty { line += (isFresh ? "" : " ") + rest }
        }
        if !isFresh { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    static func formatNanoseconds(_ value: UInt64) -> String { FigureText.duration(nanoseconds: Double(value)) }

    static func formatDuration(_ picoseconds: Int64) -> String { formatNanoseconds(UInt64(max(0, picoseconds / 1000))) }

    static func formatRate(_ bitsPerSecond: Double) -> String { FigureText.rate(bitsPerSecond: bitsPerSecond) }

    /// `value` with `decimals` digits after the point.
    static func fixed(_ value: Double, _ decimals: Int) -> String { FigureText.fixed(value, decimals) }
}
