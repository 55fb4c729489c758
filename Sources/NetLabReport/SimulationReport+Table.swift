import NetLabModel

extension SimulationReport {
    /// Per flow, one column group per grouping (path, p50, p99, throughput, drops), the grouping
    /// with the lowest p99 marked `*`; then node CPU and link utilisation side by side.
    /// With `replications` above 1, `result` is the first of them and intervals follow.
    public static func table(
        _ result: SimulationResult, replications: Int = 1, verdict replicated: (ranking: [String], text: String)? = nil
    ) -> String {
        var output =
            "\(result.topology): \(result.groupings.count) grouping(s), \(formatDuration(result.duration.picoseconds)) simulated"
        output += result.warmup.picoseconds > 0 ? " after \(formatDuration(result.warmup.picoseconds)) warm-up" : ""
        output += "\nprofile \(result.profile), seed \(result.seed)\n\n"

        output += groupingSummary(result, replications: replications, verdict: replicated) + "\n"
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
                    groupingIndex == 0 ? flow.name : "", result.groupings[groupingIndex].name,
                    flow.path.rawValue + (flow.pathMix.isEmpty ? "" : "+") + (best ? " *" : ""),
                    flow.messages > 0 ? formatNanoseconds(flow.latency.valueAtPercentile(50)) : "-",
                    flow.messages > 0 ? formatNanoseconds(flow.latency.valueAtPercentile(99)) : "-",
                    formatRate(flow.throughputBitsPerSecond),
                    flow.offeredMessages > 0
                        ? formatPercent(Double(flow.messages) / Double(flow.offeredMessages))
                            + (flow.unstable ? " !" : "") : "-",
                    "\(drops)",
                ])
            }
        }
        output += flows.rendered()
        output += "* lowest p99 for the flow (every grouping that ties); '+' the flow's replicas take more than\n"
        output += "one path class; delivered: messages finished of those offered; '!' backlog grew all run\n\n"

        var nodeColumns: [TextTable.Column] = [.init("node CPU")]
        nodeColumns += result.groupings.map { .init($0.name, alignment: .right) }
        var nodes = TextTable(columns: nodeColumns)
        for (index, node) in (result.groupings.first?.nodes ?? []).enumerated() {
            nodes.append([node.name] + result.groupings.map { formatPercent($0.nodes[index].cpuUtilization) })
        }
        output += nodes.rendered() + "\n"

        var linkColumns: [TextTable.Column] = [.init("link")]
        linkColumns += result.groupings.map { .init($0.name, alignment: .right) }
        var links = TextTable(columns: linkColumns)
        for (index, link) in (result.groupings.first?.links ?? []).enumerated() {
            links.append(
                [link.name]
                    + result.groupings.map {
                        let value = $0.links[index]
                        return formatPercent(value.utilization)
                            + (value.dropped > 0 ? " (\(value.dropped) dropped)" : "")
                    })
        }
        output += links.rendered()
        output +=
            "\n"
            + wrap("events: " + result.groupings.map { "\($0.name) \($0.events)" }.joined(separator: ", "), width: 100)
            + "\n"
        for grouping in result.groupings {
            for flow in grouping.flows {
                for miss in flow.objectiveMisses ?? [] {
                    output += "SLO missed: \(grouping.name): \(flow.name): \(miss)\n"
                }
            }
            for warning in grouping.warnings { output += "warning: \(grouping.name): \(warning)\n" }
        }
        return output
    }

    /// One row per grouping: what it uses of the cluster, its worst p99, its objectives,
    /// cross-node traffic and busiest node; then the groupings ranked by worst p99.
    static func groupingSummary(
        _ result: SimulationResult, replications: Int = 1, verdict replicated: (ranking: [String], text: String)? = nil
    ) -> String {
        var table = TextTable(columns: [
            .init("grouping"), .init("pods", alignment: .right), .init("nodes", alignment: .right),
            .init("cores", alignment: .right),
            .init("worst p99", alignment: .right), .init("SLOs met", alignment: .right),
            .init("cross-node", alignment: .right),
            .init("peak CPU", alignment: .right),
        ])
        var worst: [(name: String, p99: UInt64)] = []
        for grouping in result.groupings {
            let delivered = grouping.flows.filter { $0.messages > 0 }
            let p99 = delivered.map { $0.latency.valueAtPercentile(99) }.max() ?? 0
            worst.append((grouping.name, p99))
            let objectives = grouping.flows.compactMap(\.objectiveMisses)
            let crossNode = grouping.flows.filter { $0.path == .crossNode }.reduce(0.0) {
                $0 + $1.throughputBitsPerSecond
            }
            table.append([
                grouping.name, "\(grouping.pods)", "\(grouping.nodesUsed)", "\(grouping.coresUsed)",
                delivered.isEmpty ? "-" : formatNanoseconds(p99),
                objectives.isEmpty ? "-" : "\(objectives.filter(\.isEmpty).count)/\(objectives.count)",
                formatRate(crossNode),
                formatPercent(grouping.nodes.map(\.cpuUtilization).max() ?? 0),
            ])
        }
        var output = table.rendered()
        if let replicated, worst.count > 1 {
            output += "ranked by mean worst p99 over \(replications) replications: "
            output += replicated.ranking.joined(separator: " < ") + "\n"
            output += wrap("verdict: " + replicated.text, width: 100) + "\n"
        } else if worst.count > 1 {
            let ranked = worst.sorted { $0.p99 < $1.p99 }
            output +=
                "ranked by worst p99: "
                + ranked.map { "\($0.name) \(formatNanoseconds($0.p99))" }.joined(separator: " < ") + "\n"
            output +=
                wrap("verdict: " + verdict(result, ranked: ranked.map(\.name), replications: replications), width: 100)
                + "\n"
        }
        return output
    }

    /// Why the first-ranked grouping leads: its worst p99 against the runner-up's (or a tie within
    /// 2%, which one run cannot separate), the flow where it gains most, and what it uses of the
    /// cluster compared with the runner-up.
    static func verdict(_ result: SimulationResult, ranked: [String], replications: Int = 1) -> String {
        let caveat =
            replications > 1
            ? "replication 1 of \(replications); intervals below" : "one run: see --replications for intervals"
        guard ranked.count > 1, let first = result.groupings.first(where: { $0.name == ranked[0] }),
            let second = result.groupings.first(where: { $0.name == ranked[1] })
        else { return "" }
        let worst = { (grouping: GroupingResult) in
            grouping.flows.filter { $0.messages > 0 }.map { $0.latency.valueAtPercentile(99) }.max() ?? 0
        }
        let (a, b) = (worst(first), worst(second))
        var text: String
        if b > 0, Double(b - a) / Double(b) < 0.02 {
            text =
                "\(first.name) and \(second.name) tie (worst p99 \(formatNanoseconds(a)) vs \(formatNanoseconds(b)), within 2%;"
            text +=
                replications > 1 ? " see the intervals below)" : " one run cannot tell them apart: use --replications)"
        } else {
            text =
                "\(first.name): worst p99 \(formatNanoseconds(a)) vs \(formatNanoseconds(b)) (\(second.name))"
            var gain: (name: String, ours: UInt64, theirs: UInt64)?
            for (index, flow) in first.flows.enumerated() where flow.messages > 0 && second.flows[index].messages > 0 {
                let ours = flow.latency.valueAtPercentile(99),
                    theirs = second.flows[index].latency.valueAtPercentile(99)
                if theirs > ours, theirs - ours > (gain.map { $0.theirs - $0.ours } ?? 0) {
                    gain = (flow.name, ours, theirs)
                }
            }
            if let gain {
                text +=
                    "; most on \(gain.name): p99 \(formatNanoseconds(gain.ours)) vs \(formatNanoseconds(gain.theirs))"
            }
            text += " (\(caveat))"
        }
        let nodes = second.nodesUsed - first.nodesUsed, pods = second.pods - first.pods
        var uses: [String] = []
        if nodes != 0 { uses.append("\(abs(nodes)) node\(abs(nodes) == 1 ? "" : "s") \(nodes > 0 ? "fewer" : "more")") }
        if pods != 0 { uses.append("\(abs(pods)) pod\(abs(pods) == 1 ? "" : "s") \(pods > 0 ? "fewer" : "more")") }
        if !uses.isEmpty { text += "; \(first.name) uses " + uses.joined(separator: " and ") + " than \(second.name)" }
        return text
    }

    /// The groupings, best first by their worst p99 across flows.
    static func ranking(_ result: SimulationResult) -> [String] {
        let worst = result.groupings.map { grouping in
            (
                grouping.name,
                grouping.flows.filter { $0.messages > 0 }.map { $0.latency.valueAtPercentile(99) }.max() ?? 0
            )
        }
        return worst.enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(\.element.0)
    }

    /// `text` broken at spaces into lines of at most `width` characters.
    static func wrap(_ text: String, width: Int) -> String {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = "  " + word
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    static func formatNanoseconds(_ value: UInt64) -> String {
        if value >= 10_000_000 { return "\(fixed(Double(value) / 1e6, 1))ms" }
        if value >= 10_000 { return "\(fixed(Double(value) / 1e3, 1))us" }
        if value >= 1_000 { return "\(fixed(Double(value) / 1e3, 2))us" }
        return "\(value)ns"
    }

    static func formatDuration(_ picoseconds: Int64) -> String { formatNanoseconds(UInt64(max(0, picoseconds / 1000))) }

    static func formatRate(_ bitsPerSecond: Double) -> String {
        if bitsPerSecond >= 1e9 { return "\(fixed(bitsPerSecond / 1e9, 2))Gbps" }
        if bitsPerSecond >= 1e6 { return "\(fixed(bitsPerSecond / 1e6, 1))Mbps" }
        if bitsPerSecond >= 1e3 { return "\(fixed(bitsPerSecond / 1e3, 1))kbps" }
        return "\(Int(bitsPerSecond))bps"
    }

    static func formatPercent(_ fraction: Double) -> String { "\(fixed(fraction * 100, 1))%" }

    /// `value` with `decimals` digits after the point.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value * scale).rounded()
        let whole = Int64(scaled / scale)
        guard decimals > 0 else { return "\(whole)" }
        let fraction = Int64(abs(scaled)) % Int64(scale)
        let digits = String(fraction)
        return "\(whole).\(String(repeating: "0", count: decimals - digits.count))\(digits)"
    }
}
