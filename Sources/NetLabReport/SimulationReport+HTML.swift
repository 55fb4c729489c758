import NetLabCore
import NetLabModel
import NetLabStats

extension SimulationReport {
    /// The result as one self-contained HTML page: the verdict, per flow the latency CDFs of
    /// every grouping with throughput and drops, per grouping CPU and link use, the paths, the inputs.
    /// With `replicated` (whose first replication is `result`), the verdict and the figures
    /// beside it are over every replication; the charts show the first.
    /// Per grouping, the flow's mean latency and its tail's, stacked by stage; nil when no
    /// grouping completed a message of it.
    static func stageChart(flows: [GroupingResult.FlowResult], groupings: [String]) -> String? {
        var categories: [String] = []
        var means: [[Stage: Double]] = []
        for (flow, grouping) in zip(flows, groupings) {
            guard let tail = BreakdownReport.tail(of: flow) else { continue }
            categories += ["\(grouping): mean", "\(grouping): tail"]
            means += [flow.breakdown.mean, tail.mean]
        }
        guard !categories.isEmpty else { return nil }
        let stages = Stage.lifeOrder.filter { stage in means.contains { ($0[stage] ?? 0) > 0 } }
        return "<figure>"
            + SVGChart.stackedBars(
                title: "Latency of \(flows[0].name) by stage", unit: "mean latency per message, by stage",
                categories: categories,
                parts: stages.map { stage in (stage.label, means.map { ($0[stage] ?? 0) / 1000 }) },
                format: { formatNanoseconds($0) })
            + "<figcaption>Where the time goes, per grouping: the mean over all messages, and over the tail (the messages from the p99's band up, at most 19% below the p99).</figcaption></figure>"
    }

    /// A self-contained page (no scripts, no external files): the verdict, latency CDFs, throughput,
    /// drops and utilisation, where the time goes, the paths and the inputs. With `replicated`, the
    /// verdict and figures are the replications'; `captured` adds each flow's captured latency (replay).
    public static func html(
        _ result: SimulationResult, replicated: ReplicatedResult? = nil, inputs: ReportInputs, title: String? = nil,
        captured: [(name: String, histogram: LatencyHistogram)?] = []
    ) -> String {
        var page = HTMLPage(title: title ?? "netlab simulate: \(result.topology)")
        let runs = replicated ?? ReplicatedResult([result])
        let count = runs.replications.count
        page.paragraph(
            "\(result.groupings.count) grouping(s), \(formatDuration(result.duration.picoseconds)) simulated"
                + (result.warmup.picoseconds > 0 ? " after \(formatDuration(result.warmup.picoseconds)) warm-up" : "")
                + ", profile \(result.profile), seed \(result.seed). "
                + (count > 1
                    ? "\(count) replications: the verdict and the p99 figures beside it are means over all of them with 95% intervals; the charts show replication 1."
                    : "One run: differences between groupings are those of one seed (use --replications for intervals)."),
            className: "meta")
        let judged = verdict(runs)
        verdict(runs, judged: judged, into: &page)
        let flowCount = result.groupings.first?.flows.count ?? 0
        let shown = flowsShown(runs, judged: judged.verdict)
        page.heading("Flows")
        if shown.count < flowCount {
            page.paragraph(
                "This page draws \(shown.count) of the \(flowCount) flows: those that miss an objective, then those whose p99 differs most between the groupings\(result.groupings.count > 1 ? "" : " (with one grouping: the slowest)"). JSON and CSV (--format json or csv) carry every flow.",
                className: "meta")
        }
        for index in shown {
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
            if let chart = stageChart(flows: flows, groupings: result.groupings.map(\.name)) { page.raw(chart) }
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
                            format: { String(Int(saturating: $0)) }) + "</figure>")
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
        for index in shown {
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

    /// The verdict (as every output states it), per flow each grouping's p99 (with replications,
    /// mean and 95% interval), the flows no grouping moves, missed objectives and warnings.
    static func verdict(
        _ replicated: ReplicatedResult, judged: (verdict: Verdict, ranking: [String], text: String),
        into page: inout HTMLPage
    ) {
        let result = replicated.replications[0]
        let count = replicated.replications.count
        page.heading("Verdict")
        if !judged.text.isEmpty {
            page.raw("<div class=\"verdict\"><p>\(HTMLPage.escape(judged.text))</p>")
            page.paragraph(rankingLine(judged.verdict))
            var lines: [String] = []
            for flow in judged.verdict.affectedFlows {
                let figures = result.groupings.indices.map { grouping -> String in
                    let statistics = replicated.statistics(grouping: grouping, flow: flow)
                    let p99 =
                        count > 1
                        ? durationInterval(statistics.p99Nanoseconds)
                        : formatNanoseconds(statistics.p99Nanoseconds.mean)
                    return "\(result.groupings[grouping].name) \(p99)"
                }
                lines.append("\(judged.verdict.flowNames[flow]): p99 " + figures.joined(separator: ", "))
            }
            for (flow, path) in judged.verdict.unaffectedFlows {
                lines.append("\(judged.verdict.flowNames[flow]): unaffected (\(path.rawValue) in every grouping)")
            }
            page.list(htmlCapped(lines, more: "flows"))
            page.raw("</div>")
        }
        page.list(
            htmlCapped(
                judged.verdict.standings.flatMap { standing in
                    standing.misses.map { "SLO missed in \($0.grouping): \($0.flow): \($0.reason)" }
                }, more: "missed objectives"), className: "warning")
        page.list(
            htmlCapped(
                result.groupings.flatMap { grouping in
                    grouping.limits.map { "limit: \(grouping.name): \($0.description)" }
                }, more: "limits"),
            className: "warning")
        page.list(
            htmlCapped(
                result.groupings.flatMap { grouping in grouping.warnings.map { "\(grouping.name): \($0)" } },
                more: "warnings"),
            className: "warning")
    }

    /// A share as a percentage, with "<0.1%" for what is busy but rounds to nothing.
    static func smallPercent(_ fraction: Double) -> String {
        fraction > 0 && fraction < 0.0005 ? "<0.1%" : FigureText.percent(fraction)
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
