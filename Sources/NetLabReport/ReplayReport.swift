import NetLabReplay
import NetLabStats

/// `netlab replay` output: the `simulate` shapes, with per flow the latency the capture shows.
public enum ReplayReport {
    public static func json(_ result: ReplayResult, trace: String) -> JSONValue {
        var groupingIndex = 0
        var groupings: [JSONValue] = []
        for (position, grouping) in result.simulation.groupings.enumerated() {
            groupingIndex = position
            groupings.append(SimulationReport.grouping(grouping) { index in
                let captured = result.captured[index]
                var fields: [(String, JSONValue)] = [
                    ("captured_latency_ns", captured.count > 0 ? SimulationReport.latency(captured) : .null),
                    ("captured_exchanges", .integer(Int64(captured.count))),
                    ("captured_handshake_rtt_ns", result.capturedHandshakes[index].count > 0
                        ? SimulationReport.latency(result.capturedHandshakes[index]) : .null),
                ]
                if result.mode == .causal {
                    let simulated = result.simulatedExchanges[groupingIndex][index]
                    fields.append(("exchange_latency_ns", simulated.count > 0 ? SimulationReport.latency(simulated) : .null))
                    fields.append(("exchanges", .integer(Int64(simulated.count))))
                }
                return fields
            })
        }
        guard case .object(let fields) = SimulationReport.json(result.simulation) else { return .null }
        let replaced = fields.map { $0.0 == "groupings" ? ("groupings", JSONValue.array(groupings)) : $0 }
        return .object([("trace", .string(trace)), ("mode", .string(result.mode.rawValue))] + replaced
                       + [("warnings", .array(result.warnings.map { .string($0) }))])
    }

    public static func csv(_ result: ReplayResult) -> String {
        SimulationReport.csv(result.simulation)
    }

    /// Per flow: the captured request-to-response p50/p99, then each grouping's path and
    /// simulated latencies: per message in open mode, per request/response exchange in causal mode.
    public static func table(_ result: ReplayResult, trace: String) -> String {
        let causal = result.mode == .causal
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
            for (groupingIndex, grouping) in result.simulation.groupings.enumerated() {
                let value = grouping.flows[index]
                let shown = causal ? result.simulatedExchanges[groupingIndex][index] : value.latency
                row += [value.path.rawValue + (value.pathMix.isEmpty ? "" : "+"),
                        shown.count > 0 ? SimulationReport.formatNanoseconds(shown.valueAtPercentile(50)) : "-",
                        shown.count > 0 ? SimulationReport.formatNanoseconds(shown.valueAtPercentile(99)) : "-",
                        "\(value.messages)"]
            }
            table.append(row)
        }
        let how = causal ? "causal mode: each message after the one before it is delivered, plus the captured gap"
            : "open mode: each captured message sent at its captured time"
        var output = "\(trace) replayed (\(how)) through \(result.simulation.groupings.count) grouping(s), profile \(result.simulation.profile)\n\n"
        output += table.rendered()
        output += causal ? "captured and simulated: client message start to the end of the server's reply\n"
            : "captured: client message start to the end of the server's reply, at the capture point; simulated: per message, sent to delivered\n"
        for warning in result.warnings { output += "warning: \(warning)\n" }
        return output
    }
}

extension ReplayReport {
    /// The replay as an HTML page: the simulate report. In causal mode each flow shows the
    /// simulated request-to-reply exchanges beside the captured ones (like against like); open
    /// mode measures one-way delivery, which a capture's request-to-reply times do not match, so
    /// the capture is left to the table and JSON there.
    public static func html(_ result: ReplayResult, trace: String, inputs: ReportInputs) -> String {
        var simulation = result.simulation
        var captured: [(name: String, histogram: LatencyHistogram)?] = []
        if result.mode == .causal {
            for grouping in simulation.groupings.indices {
                for flow in simulation.groupings[grouping].flows.indices {
                    simulation.groupings[grouping].flows[flow].latency = result.simulatedExchanges[grouping][flow]
                }
            }
            captured = result.captured.map { $0.count > 0 ? (name: "captured", histogram: $0) : nil }
        }
        let title = "netlab replay: \(trace) (\(result.mode.rawValue)" + (result.mode == .causal ? ", request→reply times)" : ", one-way delivery times)")
        return SimulationReport.html(simulation, inputs: inputs, title: title, captured: captured)
    }
}
