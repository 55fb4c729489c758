import NetLabReplay
import NetLabStats

/// `netlab replay` output: the `simulate` shapes, with per flow the latency the capture shows.
public enum ReplayReport {
    public static func json(_ result: ReplayResult, trace: String) -> JSONValue {
        let base = SimulationReport.json(result.simulation) { index in
            let captured = result.captured[index]
            return [
                ("captured_latency_ns", captured.count > 0 ? SimulationReport.latency(captured) : .null),
                ("captured_exchanges", .integer(Int64(captured.count))),
            ]
        }
        guard case .object(let fields) = base else { return base }
        return .object([("trace", .string(trace)), ("mode", .string("open"))] + fields + [("warnings", .array(result.warnings.map { .string($0) }))])
    }

    public static func csv(_ result: ReplayResult) -> String {
        SimulationReport.csv(result.simulation)
    }

    /// Per flow: the captured request-to-response p50/p99, then each grouping's path and
    /// simulated message latencies; then utilisation.
    public static func table(_ result: ReplayResult, trace: String) -> String {
        var columns: [TextTable.Column] = [.init("flow"), .init("captured p50", alignment: .right), .init("captured p99", alignment: .right)]
        for grouping in result.simulation.groupings {
            columns += [.init("\(grouping.name): path"), .init("p50", alignment: .right), .init("p99", alignment: .right),
                        .init("msgs", alignment: .right)]
        }
        var table = TextTable(columns: columns)
        for (index, flow) in (result.simulation.groupings.first?.flows ?? []).enumerated() {
            let captured = result.captured[index]
            var row = [flow.name,
                       captured.count > 0 ? SimulationReport.formatNanoseconds(captured.valueAtPercentile(50)) : "-",
                       captured.count > 0 ? SimulationReport.formatNanoseconds(captured.valueAtPercentile(99)) : "-"]
            for grouping in result.simulation.groupings {
                let value = grouping.flows[index]
                row += [value.path.rawValue + (value.pathMix.isEmpty ? "" : "+"),
                        value.messages > 0 ? SimulationReport.formatNanoseconds(value.latency.valueAtPercentile(50)) : "-",
                        value.messages > 0 ? SimulationReport.formatNanoseconds(value.latency.valueAtPercentile(99)) : "-",
                        "\(value.messages)"]
            }
            table.append(row)
        }
        var output = "\(trace) replayed (open mode: each captured message sent at its captured time) through \(result.simulation.groupings.count) grouping(s), profile \(result.simulation.profile)\n\n"
        output += table.rendered()
        output += "captured: client message start to the end of the server's reply, at the capture point; simulated: per message, sent to delivered\n"
        for warning in result.warnings { output += "warning: \(warning)\n" }
        return output
    }
}
