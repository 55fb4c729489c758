import NetLabSpec
import NetLabStats
import NetLabSweep

/// `netlab sweep` and `netlab merge` output: tidy rows (one per point × grouping × flow ×
/// metric) as CSV or JSON lines, and a summary table for people.
public enum SweepReport {
    /// Tidy CSV: one row per point × grouping × flow × metric, with each axis's value, the mean over
    /// replications, the 95% half-width (empty with one replication) and the replication count.
    public static func csv(_ result: SweepResult) -> String {
        var table = CSVTable(
            header: ["point"] + result.axes.map(\.path) + [
                "grouping", "flow", "metric", "mean", "ci95", "replications",
            ])
        for row in result.rows {
            table.append(
                ["\(row.point)"] + result.values(at: row.point) + [
                    row.grouping, row.flow, row.metric, "\(SimulationReport.rounded(row.interval.mean))",
                    row.interval.halfWidth.isFinite ? "\(SimulationReport.rounded(row.interval.halfWidth))" : "",
                    "\(row.interval.replications)",
                ])
        }
        return table.rendered()
    }

    /// The rows of ``csv(_:)`` as JSON lines, one object per row, the axes by path.
    public static func jsonLines(_ result: SweepResult) -> String {
        var text = ""
        for row in result.rows {
            let set = zip(result.axes, result.values(at: row.point)).map { ($0.path, JSONValue.string($1)) }
            let line = JSONValue.object([
                ("point", .integer(Int64(row.point))), ("set", .object(set)), ("grouping", .string(row.grouping)),
                ("flow", .string(row.flow)), ("metric", .string(row.metric)),
                ("mean", .number(SimulationReport.rounded(row.interval.mean))),
                (
                    "ci95",
                    row.interval.halfWidth.isFinite ? .number(SimulationReport.rounded(row.interval.halfWidth)) : .null
                ),
                ("replications", .integer(Int64(row.interval.replications))),
            ])
            text += line.rendered(indent: nil) + "\n"
        }
        return text
    }

    /// Per point, each grouping's worst mean p99 across flows (side by side when that fits 100
    /// columns, else one line per point and grouping; long grouping names cut, with a legend).
    public static func table(_ result: SweepResult) -> String {
        let rows = result.rows.filter { $0.metric == "latency_p99_ns" }
        var groupings: [String] = []
        for row in rows where !groupings.contains(row.grouping) { groupings.append(row.grouping) }
        let labels = ShortNames(groupings, limit: ShortNames.groupingLimit)
        var points: [Int] = []
        var worst: [[Double?]] = []
        for row in rows {
            if points.last != row.point {
                points.append(row.point)
                worst.append(Array(repeating: nil, count: groupings.count))
            }
            let column = groupings.firstIndex(of: row.grouping)!
            worst[worst.count - 1][column] = max(worst[worst.count - 1][column] ?? 0, row.interval.mean)
        }
        let grid = TextTable.grid(
            corner: result.axes.map(\.path).joined(separator: ", "),
            rowNames: points.map { result.values(at: $0).joined(separator: ", ") }, columnTitle: "grouping",
            columnNames: labels.labels, valueTitle: "worst p99",
            cells: worst.map { row in row.map { $0.map { SimulationReport.formatNanoseconds($0) } ?? "-" } })
        return
            SimulationReport.wrap(
                "\(result.topology): \(result.points) point(s) × \(groupings.count) grouping(s) × \(result.replications) replication(s); worst mean p99 across flows:",
                width: 100) + "\n" + grid + labels.legendText(title: "groupings in full")
    }
}
