import NetLabModel
import NetLabSpec
import NetLabStats

/// `netlab simulate` output: JSON as docs/output.md describes it, a side-by-side table, and CSV.
public enum SimulationReport {
    /// The result as JSON; `flowExtras` adds fields to the flow at each index (replay adds the
    /// captured latencies).
    public static func json(
        _ result: SimulationResult, flowExtras: @escaping @Sendable (Int) -> [(String, JSONValue)] = { _ in [] }
    ) -> JSONValue {
        json(result, flowExtras: { _, index in flowExtras(index) })
    }

    /// The JSON of replicated runs: the first replication's figures, and per flow a
    /// `replications` block with each metric's mean and 95% confidence half-width.
    public static func json(_ replicated: ReplicatedResult) -> JSONValue {
        let first = replicated.replications[0]
        guard replicated.replications.count > 1 else { return json(first) }
        let output = json(
            first, judged: verdict(replicated),
            flowExtras: { grouping, flow in
                let statistics = replicated.statistics(grouping: grouping, flow: flow)
                func interval(_ value: ConfidenceInterval) -> JSONValue {
                    .object([("mean", .number(rounded(value.mean))), ("ci95", .number(rounded(value.halfWidth)))])
                }
                return [
                    (
                        "replications",
                        .object(
                            [
                                ("count", .integer(Int64(replicated.replications.count))),
                                ("latency_mean_ns", interval(statistics.meanLatencyNanoseconds)),
                                ("latency_p50_ns", interval(statistics.p50Nanoseconds)),
                                ("latency_p99_ns", interval(statistics.p99Nanoseconds)),
                                ("throughput_bps", interval(statistics.throughputBitsPerSecond)),
                                ("p99_minus_best_ns", interval(statistics.p99MinusBestNanoseconds)),
                                ("best_p99_grouping", .string(first.groupings[statistics.best].name)),
                            ]
                                + (BreakdownReport.replicationsJSON(
                                    replicated.replications.map { $0.groupings[grouping].flows[flow] }
                                ).map { [("breakdown", $0)] } ?? []))
                    )
                ]
            })
        guard case .object(var fields) = output else { return output }
        guard let status = replicated.precisionStatus else { return .object(fields) }
        fields.append(
            (
                "precision",
                .object([
                    ("replications", .integer(Int64(status.replications))),
                    ("widest_relative_ci95", .number(rounded(status.worstRelativeHalfWidth))),
                    ("widest_flow", .string(status.flow)), ("widest_grouping", .string(status.grouping)),
                    ("metric", .string(status.metric.rawValue)),
                    ("target_relative_ci95", status.target.map { .number($0) } ?? .null),
                    ("reached", .bool(status.isReached)),
                ])
            ))
        return .object(fields)
    }

    /// `judged`: the verdict to state, by default the one of `result` alone.
    static func json(
        _ result: SimulationResult, judged: (verdict: Verdict, ranking: [String], text: String)? = nil,
        flowExtras: @escaping @Sendable (_ grouping: Int, _ flow: Int) -> [(String, JSONValue)]
    ) -> JSONValue {
        let judged = judged ?? verdict(ReplicatedResult([result]))
        let verdict = judged.ranking.count > 1 ? verdictFields(judged.verdict, text: judged.text) : []
        return .object(
            [
                ("topology", .string(result.topology)),
                ("seed", .integer(Int64(bitPattern: result.seed))),
                ("duration_ns", .integer(result.duration.picoseconds / 1000)),
                ("warmup_ns", .integer(result.warmup.picoseconds / 1000)),
                ("profile", .string(result.profile)),
                (
                    "groupings",
                    .array(
                        result.groupings.enumerated().map { index, value in
                            grouping(value, flowExtras: { flowExtras(index, $0) })
                        })
                ),
            ] + verdict)
    }

    /// The verdict's fields: the ranking, the verdict in words, how it was reached (per grouping
    /// its relative p99 and objectives, judged over the replications) and the unaffected flows.
    static func verdictFields(_ verdict: Verdict, text: String) -> [(String, JSONValue)] {
        let call: String
        switch verdict.call {
        case .alone: call = "alone"
        case .objectives: call = "objectives"
        case .leads: call = "leads"
        case .tie: call = "tie"
        }
        return [
            ("ranking", .array(verdict.ranking.map { .string(verdict.groupingNames[$0]) })),
            ("verdict", .string(text)),
            ("verdict_call", .string(call)),
            (
                "standings",
                .array(
                    verdict.ranking.map { index in
                        let standing = verdict.standings[index]
                        var fields: [(String, JSONValue)] = [
                            ("grouping", .string(verdict.groupingNames[index])),
                            ("relative_p99", .number(rounded(standing.relativeP99.mean))),
                        ]
                        if verdict.replications > 1 {
                            fields.append(("relative_p99_ci95", .number(rounded(standing.relativeP99.halfWidth))))
                        }
                        fields += [
                            ("objectives", .integer(Int64(standing.objectives))),
                            ("objectives_missed", .array(standing.misses.map { .string("\($0.flow): \($0.reason)") })),
                        ]
                        return .object(fields)
                    })
            ),
            ("affected_flows", .array(verdict.affectedFlows.map { .string(verdict.flowNames[$0]) })),
            ("unaffected_flows", .array(verdict.unaffectedFlows.map { .string(verdict.flowNames[$0.flow]) })),
        ]
    }

    static func grouping(
        _ grouping: GroupingResult, flowExtras: @escaping @Sendable (Int) -> [(String, JSONValue)] = { _ in [] }
    ) -> JSONValue {
        .object([
            ("name", .string(grouping.name)),
            (
                "flows",
                .items(count: grouping.flows.count) { index in
                    let value = flow(grouping.flows[index])
                    guard case .object(let fields) = value else { return value }
                    return .object(fields + flowExtras(index))
                }
            ),
            (
                "nodes",
                .array(
                    grouping.nodes.map {
                        .object([("name", .string($0.name)), ("cpu_utilization", .number(rounded($0.cpuUtilization)))])
                    })
            ),
            (
                "links",
                .array(
                    grouping.links.map {
                        .object([
                            ("name", .string($0.name)), ("utilization", .number(rounded($0.utilization))),
                            ("dropped", .integer($0.dropped)),
                        ])
                    })
            ),
            ("events", .integer(Int64(grouping.events))),
            ("pods", .integer(Int64(grouping.pods))), ("nodes_used", .integer(Int64(grouping.nodesUsed))),
            ("cores_used", .integer(Int64(grouping.coresUsed))),
            ("warnings", .array(grouping.warnings.map { .string($0) })),
            (
                "containers",
                .array(
                    grouping.containers.map {
                        .object([
                            ("name", .string($0.name)), ("threads", .integer(Int64($0.threads))),
                            ("thread_utilization", .number(rounded($0.threadUtilization))),
                        ])
                    })
            ),
            (
                "limits",
                .array(
                    grouping.limits.map {
                        .object([
                            ("kind", .string($0.kind.rawValue)), ("name", .string($0.name)),
                            ("utilization", .number(rounded($0.utilization))), ("text", .string($0.description)),
                        ])
                    })
            ),
        ])
    }

    static func flow(_ flow: GroupingResult.FlowResult) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("name", .string(flow.name)), ("from", .string(flow.from)), ("to", .string(flow.to)),
            ("path", .string(flow.path.rawValue)),
            ("messages", .integer(flow.messages)), ("bytes", .integer(flow.bytes)), ("dropped", .integer(flow.dropped)),
            ("latency_ns", latency(flow.latency)),
            ("latency_histogram", histogram(flow.latency)),
            ("throughput_bps", .number(flow.throughputBitsPerSecond.rounded())),
            ("offered_messages", .integer(flow.offeredMessages)),
            ("offered_bytes", .integer(flow.offeredBytes)),
            ("lost_messages", .integer(flow.lostMessages)),
            ("retransmissions", .integer(flow.retransmissions)),
            ("unstable", .bool(flow.unstable)),
        ]
        if let breakdown = BreakdownReport.json(flow) { fields.append(("breakdown", breakdown)) }
        if let misses = flow.objectiveMisses {
            fields.append(
                ("slo", .object([("met", .bool(misses.isEmpty)), ("misses", .array(misses.map { .string($0) }))])))
        }
        if !flow.pathMix.isEmpty {
            fields.append(("path_mix", .object(flow.pathMix.map { ($0.0.rawValue, .integer(Int64($0.1))) })))
        }
        return .object(fields)
    }

    static func latency(_ histogram: LatencyHistogram) -> JSONValue {
        .object([
            ("mean", .number((histogram.meanNanoseconds * 1000).rounded() / 1000)),
            ("p50", .integer(Int64(histogram.valueAtPercentile(50)))),
            ("p90", .integer(Int64(histogram.valueAtPercentile(90)))),
            ("p99", .integer(Int64(histogram.valueAtPercentile(99)))),
            ("p999", .integer(Int64(histogram.valueAtPercentile(99.9)))),
            ("max", .integer(histogram.maximumPicoseconds / 1000)),
        ])
    }

    /// The latency distribution: each non-empty bucket's upper edge (ns) and its count.
    static func histogram(_ histogram: LatencyHistogram) -> JSONValue {
        let buckets = histogram.buckets
        return .object([
            ("upper_edges_ns", .array(buckets.map { .integer(Int64($0.upperEdgeNanoseconds)) })),
            ("counts", .array(buckets.map { .integer(Int64($0.count)) })),
        ])
    }

    static func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }

    /// One row per grouping and flow.
    public static func csv(_ result: SimulationResult) -> String {
        csv(ReplicatedResult([result]))
    }

    /// One row per grouping and flow; then the grouping's rank (1 = best, as the verdict ranks,
    /// over every replication) and, with replications, each headline metric's mean and 95% half-width and
    /// the paired p99 difference from the flow's best grouping.
    public static func csv(_ replicated: ReplicatedResult) -> String {
        let result = replicated.replications[0]
        let replicas = replicated.replications.count
        var header =
            [
                "grouping", "flow", "from", "to", "path", "messages", "bytes", "dropped", "lost_messages",
                "latency_mean_ns", "latency_p50_ns", "latency_p90_ns", "latency_p99_ns", "latency_p999_ns",
                "latency_max_ns", "throughput_bps", "rank",
            ] + BreakdownReport.csvHeader
        if replicas > 1 {
            header += [
                "replications", "latency_p50_mean_ns", "latency_p50_ci95_ns", "latency_p99_mean_ns",
                "latency_p99_ci95_ns", "throughput_mean_bps", "throughput_ci95_bps", "p99_minus_best_mean_ns",
                "p99_minus_best_ci95_ns", "best_p99_grouping",
            ]
        }
        var table = CSVTable(header: header)
        let ranking = verdict(replicated).ranking
        for (groupingIndex, grouping) in result.groupings.enumerated() {
            let rank = (ranking.firstIndex(of: grouping.name) ?? 0) + 1
            for (flowIndex, flow) in grouping.flows.enumerated() {
                let l = flow.latency
                var row =
                    [
                        grouping.name, flow.name, flow.from, flow.to, flow.path.rawValue, "\(flow.messages)",
                        "\(flow.bytes)",
                        "\(flow.dropped)", "\(flow.lostMessages)", "\((l.meanNanoseconds * 1000).rounded() / 1000)",
                        "\(l.valueAtPercentile(50))", "\(l.valueAtPercentile(90))", "\(l.valueAtPercentile(99))",
                        "\(l.valueAtPercentile(99.9))", "\(l.maximumPicoseconds / 1000)",
                        "\(flow.throughputBitsPerSecond.rounded())", "\(rank)",
                    ] + BreakdownReport.csvCells(flow)
                if replicas > 1 {
                    let statistics = replicated.statistics(grouping: groupingIndex, flow: flowIndex)
                    row.append("\(replicas)")
                    for interval in [
                        statistics.p50Nanoseconds, statistics.p99Nanoseconds, statistics.throughputBitsPerSecond,
                        statistics.p99MinusBestNanoseconds,
                    ] {
                        row += ["\(rounded(interval.mean))", "\(rounded(interval.halfWidth))"]
                    }
                    row.append(result.groupings[statistics.best].name)
                }
                table.append(row)
            }
        }
        return table.rendered()
    }
}
