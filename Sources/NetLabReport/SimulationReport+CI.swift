import NetLabModel

extension SimulationReport {
    /// JUnit XML for CI systems: a test case per flow and grouping whose flow has an objective,
    /// failed with each miss.
    public static func junit(_ result: SimulationResult) -> String {
        var cases: [String] = []
        var failures = 0
        for grouping in result.groupings {
            for flow in grouping.flows {
                guard let misses = flow.objectiveMisses else { continue }
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
    public static func markdown(_ result: SimulationResult) -> String {
        var output = "### netlab: \(markdownText(result.topology))\n\n"
        output +=
            "\(result.groupings.count) grouping(s), \(formatDuration(result.duration.picoseconds)) simulated, profile \(markdownText(result.profile)), seed \(result.seed)\n\n"
        output +=
            "| flow | grouping | path | p50 | p99 | throughput | SLO |\n| --- | --- | --- | ---: | ---: | ---: | --- |\n"
        for index in (result.groupings.first?.flows ?? []).indices {
            for grouping in result.groupings {
                let flow = grouping.flows[index]
                let slo =
                    flow.objectiveMisses.map { $0.isEmpty ? "met" : "**missed**: " + $0.joined(separator: "; ") } ?? "–"
                output += "| \(markdownText(flow.name)) | \(markdownText(grouping.name)) | \(flow.path.rawValue) | "
                output +=
                    "\(formatNanoseconds(flow.latency.valueAtPercentile(50))) | \(formatNanoseconds(flow.latency.valueAtPercentile(99))) | "
                output += "\(formatRate(flow.throughputBitsPerSecond)) | \(markdownText(slo)) |\n"
            }
        }
        return output
    }

    static func xml(_ text: String) -> String { HTMLPage.escape(text) }

    static func markdownText(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
    }
}
