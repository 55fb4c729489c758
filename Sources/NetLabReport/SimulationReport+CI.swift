import NetLabModel
import NetLabStats

extension SimulationReport {
    /// JUnit XML for CI systems: a test case per flow and grouping whose flow has an objective,
    /// failed with each miss (judged, as `--require` judges, on the mean over the replications).
    public static func junit(_ replicated: ReplicatedResult) -> String {
        let result = replicated.replications[0]
        let verdict = Verdict(replicated)
        var cases: [String] = []
        var failures = 0
        for (index, grouping) in result.groupings.enumerated() {
            let missesOfFlow = Self.missesByFlow(verdict.standings[index].misses)
            for flow in grouping.flows {
                guard flow.objective != nil else { continue }
                let misses = (missesOfFlow[flow.name] ?? []).map(\.reason)
                var testCase =
                    "    <testcase classname=\"\(xml(result.topology)).\(xml(grouping.name))\" name=\"\(xml(flow.name))\">"
                if !misses.isEmpty {
                    failures += 1
                    testCase +=
                        "\n      <failure message=\"\(xml(misses.joined(separator: "; ")))\">\(xml(misses.joined(separator: "\n")))</failure>\n    "
                }
                cases.append(testCase + "</testcase>")
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites>
              <testsuite name="netlab \(xml(result.topology))" tests="\(cases.count)" failures="\(failures)">
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>

            """
    }

    /// A Markdown summary for a CI job page: per flow and grouping the path, p50, p99,
    /// throughput and the objective.
    /// With replications, p50, p99 and throughput are means with their 95% intervals.
    public static func markdown(_ replicated: ReplicatedResult) -> String {
        let result = replicated.replications[0]
        let count = replicated.replications.count
        let judged = verdict(replicated)
        var output = "### netlab: \(markdownText(result.topology))\n\n"
        output +=
            "\(result.groupings.count) grouping(s), \(formatDuration(result.duration.picoseconds)) simulated, profile \(markdownText(result.profile)), seed \(result.seed)"
        output += count > 1 ? ", \(count) replications (means ± 95% intervals)\n\n" : ", one run\n\n"
        if !judged.text.isEmpty {
            output += "**Verdict:** \(markdownText(judged.text))\n\n\(markdownText(rankingLine(judged.verdict)))\n\n"
        }
        output +=
            "| flow | grouping | path | p50 | p99 | throughput | SLO |\n| --- | --- | --- | ---: | ---: | ---: | --- |\n"
        let missesOfFlow = judged.verdict.standings.map { Self.missesByFlow($0.misses) }
        for index in (result.groupings.first?.flows ?? []).indices {
            for (groupingIndex, grouping) in result.groupings.enumerated() {
                let flow = grouping.flows[index]
                let statistics = replicated.statistics(grouping: groupingIndex, flow: index)
                let misses = missesOfFlow[groupingIndex][flow.name] ?? []
                let slo =
                    flow.objective == nil
                    ? "–" : misses.isEmpty ? "met" : "**missed**: " + misses.map(\.reason).joined(separator: "; ")
                func figure(
                    _ value: ConfidenceInterval, _ format: (Double) -> String, _ both: (ConfidenceInterval) -> String
                )
                    -> String
                { count > 1 ? both(value) : format(value.mean) }
                output += "| \(markdownText(flow.name)) | \(markdownText(grouping.name)) | \(flow.path.rawValue) | "
                output +=
                    "\(figure(statistics.p50Nanoseconds, formatNanoseconds, durationInterval)) | \(figure(statistics.p99Nanoseconds, formatNanoseconds, durationInterval)) | "
                output +=
                    "\(figure(statistics.throughputBitsPerSecond, formatRate, rateInterval)) | \(markdownText(slo)) |\n"
            }
        }
        return output
    }

    static func xml(_ text: String) -> String { HTMLPage.escape(text) }

    static func markdownText(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
    }

    /// A grouping's objective misses by flow name, in their order: looked up once per flow, so a
    /// cluster's hundred thousand flows cost one pass, not one pass each.
    static func missesByFlow(_ misses: [ObjectiveViolation]) -> [String: [ObjectiveViolation]] {
        Dictionary(grouping: misses, by: \.flow)
    }
}
