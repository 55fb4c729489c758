import NetLabCore
import NetLabModel
import NetLabSpec

/// `netlab compare`: two `netlab simulate` JSON results of the same topology, flow by flow; a
/// regression is a metric that got worse beyond the tolerance and, where both results carry
/// replications, beyond both confidence intervals.
public enum ResultComparison {
    /// A metric of one flow in one grouping that got worse beyond the tolerance (and, with
    /// replications, beyond both intervals): its baseline and current figures.
    public struct Regression: Sendable {
        public var grouping: String
        public var flow: String
        /// `latency_p50_ns`, `latency_p99_ns`, `throughput_bps`, ...: the JSON field compared.
        public var metric: String
        public var baseline: Double
        public var current: Double

        /// Whether the figures are means over replications (both results had them).
        public var isMean = false

        /// One line: where, which metric, from what to what, and by how much.
        public var description: String {
            // Two decimals where one would round a change just past the tolerance onto it.
            let share = current / baseline - 1
            let tenths = abs(share * 100) * 10
            let digits = abs(tenths.rounded() - tenths) > 0.05 ? 2 : 1
            let change =
                baseline == 0 ? "from 0" : FigureText.percent(share, decimals: digits, signed: baseline < current)
            let what = isMean ? "\(metric) (mean of replications)" : metric
            return "\(grouping)/\(flow): \(what) \(format(baseline)) → \(format(current)) (\(change))"
        }

        func format(_ value: Double) -> String {
            metric.hasSuffix("_ns")
                ? SimulationReport.formatNanoseconds(value)
                : metric == "throughput_bps" ? SimulationReport.formatRate(value) : SimulationReport.fixed(value, 0)
        }
    }

    /// What a comparison found: how many figures it compared, which regressed, and each
    /// result's verdict.
    public struct Outcome: Sendable {
        /// Figures compared (flows × groupings × metrics present in both).
        public var compared: Int
        public var regressions: [Regression]
        /// Each result's verdict (the grouping ranked first, and the verdict in words), where the
        /// result states one (results of one grouping do not).
        public var baselineVerdict: StatedVerdict?
        public var currentVerdict: StatedVerdict?

        /// What `netlab compare` prints: the regressions, one per line (wrapped at 100 columns),
        /// a count, and whether the verdict changed.
        public func report(tolerance: String) -> String {
            var lines = regressions.map { "regression: \($0.description)" }
            lines.append(
                regressions.isEmpty
                    ? "no regression: \(compared) metrics within \(tolerance) of the baseline"
                    : "\(regressions.count) of \(compared) metrics regressed beyond \(tolerance)")
            if let before = baselineVerdict, let after = currentVerdict {
                if before.best == after.best {
                    lines.append("verdict unchanged: \(after.best) ranks first in both")
                } else if before.call == "tie" || after.call == "tie" {
                    lines.append(
                        "first place moved from \(before.best) to \(after.best), within a tie (not a changed verdict)")
                } else {
                    lines.append("verdict CHANGED: the baseline ranks \(before.best) first, the current \(after.best)")
                    if !after.text.isEmpty { lines.append("current verdict: \(after.text)") }
                }
            }
            return lines.map { SimulationReport.wrap($0, width: 100) + "\n" }.joined()
        }
    }

    /// The verdict a result states: the grouping ranked first, how it was called (`leads`,
    /// `objectives`, `tie`) and the verdict in words.
    public struct StatedVerdict: Sendable {
        /// The grouping ranked first.
        public var best: String
        /// How the verdict was reached: `leads`, `objectives` or `tie`.
        public var call: String
        /// The verdict in words, as the result printed it.
        public var text: String
    }

    /// One metric of a flow: its value and, with replications, its mean and interval.
    struct Figure {
        var value: Double
        var interval: (mean: Double, halfWidth: Double)?
    }

    /// Compares `current` with `baseline`, both as `netlab simulate --format json` wrote them.
    /// - Throws: ``SpecError`` when a file is not such a result, or the two are of different
    ///   topologies, groupings or flows (naming what differs).
    public static func compare(
        baseline: String, baselineFile: String, current: String, currentFile: String, tolerance: Double
    ) throws(SpecError) -> Outcome {
        let old = try flows(baseline, file: baselineFile), new = try flows(current, file: currentFile)
        guard old.topology == new.topology else {
            throw SpecError(
                file: currentFile, path: "topology",
                problem: "is of topology \"\(new.topology)\", the baseline of \"\(old.topology)\"",
                fix: "compare results of the same topology")
        }
        let missing = old.figures.keys.filter { new.figures[$0] == nil }.sorted { $0.lexicographicallyPrecedes($1) }
        let added = new.figures.keys.filter { old.figures[$0] == nil }.sorted { $0.lexicographicallyPrecedes($1) }
        guard missing.isEmpty, added.isEmpty else {
            let parts =
                (missing.isEmpty
                    ? [] : ["missing \(missing.map { $0.joined(separator: "/") }.joined(separator: ", "))"])
                + (added.isEmpty ? [] : ["new \(added.map { $0.joined(separator: "/") }.joined(separator: ", "))"])
            throw SpecError(
                file: currentFile, path: "groupings",
                problem: "does not have the baseline's groupings and flows: \(parts.joined(separator: "; "))",
                fix: "simulate the same groupings (--grouping) in both runs")
        }
        var regressions: [Regression] = []
        var compared = 0
        for key in old.figures.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            for (metric, before) in old.figures[key]!.sorted(by: { $0.key < $1.key }) {
                guard let after = new.figures[key]?[metric] else { continue }
                compared += 1
                let higherIsWorse = metric != "throughput_bps"
                // With replications in both, the means decide (and are shown), not replication 1.
                let replicated = before.interval != nil && after.interval != nil
                let old = replicated ? before.interval!.mean : before.value
                let new = replicated ? after.interval!.mean : after.value
                let worse = higherIsWorse ? new > old * (1 + tolerance) : new < old * (1 - tolerance)
                var significant = true
                if let a = before.interval, let b = after.interval {
                    significant =
                        higherIsWorse
                        ? b.mean - b.halfWidth > a.mean + a.halfWidth : b.mean + b.halfWidth < a.mean - a.halfWidth
                }
                let fromZero = metric == "lost_messages" && before.value == 0 && after.value > 0
                if (worse && significant) || fromZero {
                    regressions.append(
                        Regression(
                            grouping: key[0], flow: key[1], metric: metric, baseline: old, current: new,
                            isMean: replicated))
                }
            }
        }
        return Outcome(
            compared: compared, regressions: regressions, baselineVerdict: old.verdict, currentVerdict: new.verdict)
    }

    /// Per (grouping, flow), the compared metrics of a result document.
    static func flows(_ text: String, file: String) throws(SpecError) -> (
        topology: String, figures: [[String]: [String: Figure]], verdict: StatedVerdict?
    ) {
        let root: JSONNode
        do { root = try JSONParser.parse(text) } catch { throw SpecError.malformed(error, file: file) }
        func fail(_ node: JSONNode, _ path: String) -> SpecError {
            SpecError(
                file: file, line: node.line, column: node.column, path: path,
                problem: "is not what 'netlab simulate --format json' writes",
                fix: "give the JSON output of netlab simulate")
        }
        func member(_ node: JSONNode, _ key: String, _ path: String) throws(SpecError) -> JSONNode {
            guard case .object(let members) = node.value, let value = members.first(where: { $0.key == key })?.value
            else {
                throw fail(node, path.isEmpty ? key : "\(path).\(key)")
            }
            return value
        }
        func number(_ node: JSONNode, _ path: String) throws(SpecError) -> Double {
            guard case .number(let text) = node.value, let value = Double(text) else { throw fail(node, path) }
            return value
        }
        func string(_ node: JSONNode, _ path: String) throws(SpecError) -> String {
            guard case .string(let text) = node.value else { throw fail(node, path) }
            return text
        }
        let topology = try string(try member(root, "topology", ""), "topology")
        guard case .array(let groupings) = try member(root, "groupings", "").value else {
            throw fail(root, "groupings")
        }
        var figures: [[String]: [String: Figure]] = [:]
        for (g, grouping) in groupings.enumerated() {
            let path = "groupings[\(g)]"
            let name = try string(try member(grouping, "name", path), "\(path).name")
            guard case .array(let flows) = try member(grouping, "flows", path).value else {
                throw fail(grouping, "\(path).flows")
            }
            for (f, flow) in flows.enumerated() {
                let flowPath = "\(path).flows[\(f)]"
                let flowName = try string(try member(flow, "name", flowPath), "\(flowPath).name")
                let latency = try member(flow, "latency_ns", flowPath)
                var values: [String: Figure] = [
                    "latency_p50_ns": Figure(value: try number(try member(latency, "p50", flowPath), flowPath)),
                    "latency_p99_ns": Figure(value: try number(try member(latency, "p99", flowPath), flowPath)),
                    "throughput_bps": Figure(value: try number(try member(flow, "throughput_bps", flowPath), flowPath)),
                    "lost_messages": Figure(value: try number(try member(flow, "lost_messages", flowPath), flowPath)),
                ]
                if case .object(let members) = flow.value,
                    let block = members.first(where: { $0.key == "replications" })?.value
                {
                    for metric in ["latency_p50_ns", "latency_p99_ns", "throughput_bps"] {
                        let interval = try member(block, metric, "\(flowPath).replications")
                        values[metric]?.interval = (
                            try number(try member(interval, "mean", flowPath), flowPath),
                            try number(try member(interval, "ci95", flowPath), flowPath)
                        )
                    }
                }
                figures[[name, flowName]] = values
            }
        }
        var verdict: StatedVerdict?
        if case .object(let members) = root.value,
            case .array(let ranking)? = members.first(where: { $0.key == "ranking" })?.value.value,
            ranking.count > 1, case .string(let best) = ranking[0].value
        {
            func text(_ key: String) -> String {
                guard case .string(let written)? = members.first(where: { $0.key == key })?.value.value else {
                    return ""
                }
                return written
            }
            verdict = StatedVerdict(best: best, call: text("verdict_call"), text: text("verdict"))
        }
        return (topology, figures, verdict)
    }
}
