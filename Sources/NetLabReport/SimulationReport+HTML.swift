import NetLabModel
import NetLabStats

extension SimulationReport {
    /// The result as one self-contained HTML page: the verdict, per flow the latency CDFs of
    /// every grouping with throughput and drops, per grouping CPU and link use, the paths, the inputs.
    public static func html(
        _ result: SimulationResult, inputs: ReportInputs, title: String? = nil,
        captured: [(name: String, histogram: LatencyHistogram)?] = []
    ) -> String {
        var page = HTMLPage(title: title ?? "netlab simulate: \(result.topology)")
        page.paragraph(
            "\(result.groupings.count) grouping(s), \(formatDuration(result.duration.picoseconds)) simulated"
                + (result.warmup.picoseconds > 0 ? " after \(formatDuration(result.warmup.picoseconds)) warm-up" : "")
                + ", profile \(result.profile), seed \(result.seed). One run: differences between groupings are those of one seed.",
            className: "meta")
        verdict(result, into: &page)
        let flowCount = result.groupings.first?.flows.count ?? 0
        page.heading("Flows")
        for index in 0..<flowCount {
            let flows = result.groupings.map { $0.flows[index] }
            page.heading("\(flows[0].name): \(flows[0].from) → \(flows[0].to)", level: 3)
            var series = zip(result.groupings, flows).map { grouping, flow in
                SVGChart.Series(name: grouping.name, points: cdfPoints(flow.latency), marks: marks(flow.latency))
            }
            if index < captured.count, let capture = captured[index] {
                series.append(
                    SVGChart.Series(
                        name: capture.name, points: cdfPoints(capture.histogram), marks: marks(capture.histogram)))
            }
            page.raw(
                "<figure>"
                    + SVGChart.cdf(
                        title: "Latency of \(flows[0].name) per grouping", xLabel: "latency (log scale)", series: series
                    )
                    + "<figcaption>Cumulative distribution of \(captured.isEmpty ? "message (rpc: call) latency" : "request-to-reply times, captured and simulated"); dots mark p50, p99 and p99.9.</figcaption></figure>"
            )
            var rows = [
                ["grouping", "path", "p50", "p99", "p99.9", "throughput", "delivered / offered", "dropped", "lost"]
            ]
            for (grouping, flow) in zip(result.groupings, flows) {
                rows.append([
                    grouping.name, flow.path.rawValue + (flow.pathMix.isEmpty ? "" : " (mixed)"),
                    formatNanoseconds(flow.latency.valueAtPercentile(50)),
                    formatNanoseconds(flow.latency.valueAtPercentile(99)),
                    formatNanoseconds(flow.latency.valueAtPercentile(99.9)), formatRate(flow.throughputBitsPerSecond),
                    "\(flow.messages) / \(flow.offeredMessages)" + (flow.unstable ? " (unstable)" : ""),
                    "\(flow.dropped)", "\(flow.lostMessages)",
                ])
            }
            page.table(rows)
            page.raw(
                "<figure>"
                    + SVGChart.bars(
                        title: "Throughput of \(flows[0].name)", unit: "throughput (bits per second)",
                        categories: result.groupings.map(\.name),
                        series: [("throughput", flows.map(\.throughputBitsPerSecond))], format: formatRate)
                    + "</figure>")
            if flows.contains(where: { $0.dropped + $0.lostMessages > 0 }) {
                page.raw(
                    "<figure>"
                        + SVGChart.bars(
                            title: "Drops of \(flows[0].name)",
                            unit: "packets dropped and messages lost in the measured window",
                            categories: result.groupings.map(\.name),
                            series: [
                                ("dropped packets", flows.map { Double($0.dropped) }),
                                ("lost messages", flows.map { Double($0.lostMessages) }),
                            ],
                            format: { String(Int($0)) }) + "</figure>")
            } else {
                page.paragraph("No packet of this flow was dropped in any grouping.", className: "meta")
            }
        }
        page.heading("Cores and links")
        if let nodes = result.groupings.first?.nodes {
            page.raw(
                "<figure>"
                    + SVGChart.bars(
                        title: "Node CPU utilisation", unit: "CPU utilisation (share of all the node's cores)",
                        categories: nodes.map(\.name),
                        series: result.groupings.map { ($0.name, $0.nodes.map(\.cpuUtilization)) }, format: smallPercent
                    ) + "</figure>")
        }
        if let links = result.groupings.first?.links {
            page.raw(
                "<figure>"
                    + SVGChart.bars(
                        title: "Link utilisation", unit: "link utilisation (share of the time transmitting)",
                        categories: links.map(\.name),
                        series: result.groupings.map { ($0.name, $0.links.map(\.utilization)) }, format: smallPercent)
                    + "</figure>")
        }
        page.heading("Paths")
        var paths = [["flow"] + result.groupings.map(\.name)]
        for index in 0..<flowCount {
            paths.append(
                [result.groupings[0].flows[index].name] + result.groupings.map { $0.flows[index].path.rawValue })
        }
        page.table(
            paths,
            caption:
                "The path each flow takes: loopback/uds/pipe/shm inside a pod, same-node over veth and a bridge, cross-node over NICs and the switch"
        )
        page.inputs(inputs, extra: ["profile: \(result.profile)", "seed: \(result.seed)"])
        return page.rendered
    }

    /// Per flow the grouping with the lowest p99 (every one that ties), and warnings.
    static func verdict(_ result: SimulationResult, into page: inout HTMLPage) {
        page.heading("Verdict")
        var lines: [String] = []
        var wins = Array(repeating: 0, count: result.groupings.count)
        let flowCount = result.groupings.first?.flows.count ?? 0
        for index in 0..<flowCount {
            let p99s = result.groupings.map {
                $0.flows[index].messages > 0 ? $0.flows[index].latency.valueAtPercentile(99) : UInt64.max
            }
            guard let best = p99s.min(), best < .max else { continue }
            let winners = p99s.indices.filter { p99s[$0] == best }
            winners.forEach { wins[$0] += 1 }
            let others = p99s.indices.filter { !winners.contains($0) && p99s[$0] < .max }
            let runnerUp = others.min { p99s[$0] < p99s[$1] }
            var line =
                "\(result.groupings[0].flows[index].name): lowest p99 \(formatNanoseconds(best)) in "
                + winners.map { result.groupings[$0].name }.joined(separator: " and ")
            if let runnerUp {
                line += ", against \(formatNanoseconds(p99s[runnerUp])) in \(result.groupings[runnerUp].name)"
            }
            lines.append(line)
        }
        if let top = wins.max(), top > 0 {
            let leaders = wins.indices.filter { wins[$0] == top }.map { result.groupings[$0].name }
            page.raw(
                "<div class=\"verdict\"><p><strong>\(HTMLPage.escape(leaders.joined(separator: " and ")))</strong> \(HTMLPage.escape(leaders.count > 1 ? "tie" : "has the lowest p99")) on \(top) of \(flowCount) flow(s).</p>"
            )
            page.list(lines)
            page.raw("</div>")
        }
        page.list(
            result.groupings.flatMap { grouping in
                grouping.flows.flatMap { flow in
                    (flow.objectiveMisses ?? []).map { "SLO missed in \(grouping.name): \(flow.name): \($0)" }
                }
            }, className: "warning")
        page.list(
            result.groupings.flatMap { grouping in grouping.warnings.map { "\(grouping.name): \($0)" } },
            className: "warning")
    }

    /// A share as a percentage, with "<0.1%" for what is busy but rounds to nothing.
    static func smallPercent(_ fraction: Double) -> String {
        fraction > 0 && fraction < 0.0005 ? "<0.1%" : formatPercent(fraction)
    }

    /// The histogram as CDF steps, thinned to at most about 400 points.
    static func cdfPoints(_ histogram: LatencyHistogram) -> [(x: Double, y: Double)] {
        let buckets = histogram.buckets
        guard histogram.count > 0 else { return [] }
        let total = Double(histogram.count)
        var points: [(x: Double, y: Double)] = []
        var seen: UInt64 = 0
        var lastKept = -1.0
        for (index, bucket) in buckets.enumerated() {
            seen += bucket.count
            let fraction = Double(seen) / total
            if fraction - lastKept >= 0.0025 || index == buckets.count - 1
                || fraction > 0.99 && fraction - lastKept >= 0.0001
            {
                points.append((max(Double(bucket.upperEdgeNanoseconds), 1), fraction))
                lastKept = fraction
            }
        }
        return points
    }

    static func marks(_ histogram: LatencyHistogram) -> [(String, Double)] {
        guard histogram.count > 0 else { return [] }
        return [("p50", 50), ("p99", 99), ("p99.9", 99.9)].map { ($0.0, Double(histogram.valueAtPercentile($0.1))) }
    }
}
