import NetLabCore
import NetLabModel
import NetLabSpec
import NetLabStats

/// Latency by stage (``Stage``) in every output: JSON and CSV fields, the `--breakdown` table,
/// and the stages that make the difference between two groupings, which the verdict and the
/// advice name.
public enum BreakdownReport {
    /// The tail of `flow`: its messages at or above its p99 (from the p99's band).
    static func tail(of flow: GroupingResult.FlowResult) -> LatencyBreakdown.Tail? {
        LatencyBreakdown.pooledTail(of: [flow])
    }

    /// A flow's `breakdown` field: mean nanoseconds per message in each stage, and the same for
    /// the tail; nil when the flow completed nothing.
    static func json(_ flow: GroupingResult.FlowResult) -> JSONValue? {
        guard let tail = tail(of: flow) else { return nil }
        return .object([
            ("mean_ns", stagesJSON(flow.breakdown.mean)),
            (
                "tail",
                .object([
                    ("from_ns", .number(nanoseconds(Double(tail.from.picoseconds)))),
                    ("messages", .integer(tail.messages)), ("mean_ns", stagesJSON(tail.mean)),
                ])
            ),
        ])
    }

    /// Per stage, in life order, picoseconds as nanoseconds to the picosecond.
    static func stagesJSON(_ means: [Stage: Double]) -> JSONValue {
        .object(Stage.lifeOrder.map { ($0.key, .number(nanoseconds(means[$0] ?? 0))) })
    }

    static func nanoseconds(_ picoseconds: Double) -> Double { picoseconds.rounded() / 1000 }

    /// With replications: per stage, the mean over replications of each one's mean and tail
    /// breakdown, with the 95% half-width, over the replications that completed a message of the
    /// flow; nil when none did (as a single run's breakdown is absent then).
    static func replicationsJSON(_ flows: [GroupingResult.FlowResult]) -> JSONValue? {
        func intervals(_ means: [[Stage: Double]]) -> JSONValue {
            .object(
                Stage.lifeOrder.map { stage in
                    let interval = ConfidenceInterval(means.map { ($0[stage] ?? 0) / 1000 })
                    return (
                        stage.key,
                        .object([
                            ("mean", .number(SimulationReport.rounded(interval.mean))),
                            ("ci95", .number(SimulationReport.rounded(interval.halfWidth))),
                        ])
                    )
                })
        }
        let completed = flows.filter { $0.messages > 0 }
        guard !completed.isEmpty else { return nil }
        return .object([
            ("mean_ns", intervals(completed.map(\.breakdown.mean))),
            ("tail_mean_ns", intervals(completed.compactMap { tail(of: $0)?.mean })),
        ])
    }

    /// The CSV columns: each stage's mean, then each stage's tail mean, in nanoseconds.
    static let csvHeader =
        Stage.lifeOrder.map { "stage_\($0.key)_mean_ns" } + ["tail_from_ns", "tail_messages"]
        + Stage.lifeOrder.map { "stage_\($0.key)_tail_ns" }

    static func csvCells(_ flow: GroupingResult.FlowResult) -> [String] {
        guard let tail = tail(of: flow) else { return Array(repeating: "", count: csvHeader.count) }
        let mean = flow.breakdown.mean
        return Stage.lifeOrder.map { "\(nanoseconds(mean[$0] ?? 0))" }
            + ["\(nanoseconds(Double(tail.from.picoseconds)))", "\(tail.messages)"]
            + Stage.lifeOrder.map { "\(nanoseconds(tail.mean[$0] ?? 0))" }
    }

    /// The `--breakdown` table: per flow and grouping, the mean microseconds per message in each
    /// stage that any of them spends time in, and below it the tail's; stages too small to
    /// show within 100 columns are summed as "other".
    public static func table(_ result: SimulationResult, width: Int = 100) -> String {
        let groupingLabels = ShortNames(result.groupings.map(\.name), limit: ShortNames.groupingLimit)
        let flowLabels = ShortNames(result.groupings.first?.flows.map(\.name) ?? [], limit: ShortNames.flowLimit)
        let flowCount = result.groupings.first?.flows.count ?? 0
        var rows: [(flow: String, grouping: String, means: [Stage: Double])] = []
        for index in 0..<flowCount {
            var named = false
            for (groupingIndex, grouping) in result.groupings.enumerated() {
                let flow = grouping.flows[index]
                guard let tail = tail(of: flow) else { continue }
                rows.append(
                    (named ? "" : flowLabels.labels[index], groupingLabels.labels[groupingIndex], flow.breakdown.mean))
                rows.append(("", "  tail", tail.mean))
                named = true
            }
        }
        guard !rows.isEmpty else { return "latency by stage: no flow completed a message\n" }
        // Stages by the most time they take in any row; as many as fit, the rest as "other".
        func largest(_ stage: Stage) -> Double { rows.map { $0.means[stage] ?? 0 }.max() ?? 0 }
        let ranked: [Stage] = Stage.lifeOrder.filter { largest($0) > 0 }.sorted { largest($0) > largest($1) }
        let flowWidth = max(4, rows.map(\.flow.count).max() ?? 0)
        let groupingWidth = max(8, rows.map(\.grouping.count).max() ?? 0)
        // Each stage column takes six characters and two of space before it; so does "other".
        let available = width - (flowWidth + 2) - (groupingWidth + 2) - 5
        let room = max(1, available / 8)
        let shown = Set(ranked.count <= room ? ranked : Array(ranked.prefix(max(1, room - 1))))
        let columns = Stage.lifeOrder.filter { shown.contains($0) }
        let other = ranked.count > columns.count
        var headings: [TextTable.Column] = [.init("flow"), .init("grouping"), .init("total", alignment: .right)]
        headings += columns.map { TextTable.Column($0.heading, alignment: .right) }
        if other { headings.append(.init("other", alignment: .right)) }
        var table = TextTable(columns: headings)
        func micro(_ picoseconds: Double) -> String { FigureText.fixed(picoseconds / 1e6, 1) }
        for row in rows {
            let total = row.means.values.reduce(0, +)
            let rest = row.means.filter { !shown.contains($0.key) }.values.reduce(0, +)
            table.append(
                [row.flow, row.grouping, micro(total)] + columns.map { micro(row.means[$0] ?? 0) }
                    + (other ? [micro(rest)] : []))
        }
        var output = "latency by stage (µs per message): the mean, then the tail (messages from the p99's band up)\n"
        output += table.rendered()
        var legend = columns.map { "\($0.heading): \($0.label)" } + (other ? ["other: the rest"] : [])
        legend[0] = "stages " + legend[0]
        var line = ""
        for entry in legend {
            if !line.isEmpty, line.count + entry.count + 3 > width {
                output += line + ",\n"
                line = ""
            }
            line += line.isEmpty ? entry : ", " + entry
        }
        output += line + "\n"
        return output
    }
}
