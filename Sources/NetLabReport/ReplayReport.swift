import NetLabCore
import NetLabModel
import NetLabReplay
import NetLabSpec
import NetLabStats

/// `netlab replay` output: the `simulate` shapes, with per flow the latency the capture shows.
public enum ReplayReport {
    /// The replay for programs: `simulate`'s JSON for the groupings replayed through, with per flow
    /// the latency the capture shows, the consistency check of the captured grouping and the warnings.
    public static func json(_ result: ReplayResult, trace: String) -> JSONValue {
        var groupings: [JSONValue] = []
        for (groupingIndex, grouping) in result.simulation.groupings.enumerated() {
            groupings.append(
                SimulationReport.grouping(grouping) { index in
                    let captured = result.captured[index]
                    var fields: [(String, JSONValue)] = [
                        ("captured_latency_ns", captured.count > 0 ? SimulationReport.latency(captured) : .null),
                        ("captured_exchanges", .integer(Int64(captured.count))),
                        (
                            "captured_handshake_rtt_ns",
                            result.capturedHandshakes[index].count > 0
                                ? SimulationReport.latency(result.capturedHandshakes[index]) : .null
                        ),
                    ]
                    if result.origin != nil {
                        let application = result.capturedAtApplication[index]
                        fields.append(
                            (
                                "captured_application_latency_ns",
                                application.count > 0 ? SimulationReport.latency(application) : .null
                            ))
                        let gaps = result.applicationGaps[groupingIndex][index]
                        fields.append(("application_gap_ns", gaps.count > 0 ? SimulationReport.latency(gaps) : .null))
                        fields.append(("negative_gaps", .integer(Int64(result.negativeGaps[index]))))
                    }
                    let simulated = result.simulatedExchanges[groupingIndex][index]
                    fields.append(
                        ("exchange_latency_ns", simulated.count > 0 ? SimulationReport.latency(simulated) : .null))
                    fields.append(("exchanges", .integer(Int64(simulated.count))))
                    return fields
                })
        }
        guard case .object(let fields) = SimulationReport.json(result.simulation) else { return .null }
        let replaced = fields.map { $0.0 == "groupings" ? ("groupings", JSONValue.array(groupings)) : $0 }
        var head: [(String, JSONValue)] = [
            ("trace", .string(trace)), ("interface", result.interface.map { .string($0) } ?? .null),
            ("mode", .string(result.mode.rawValue)),
        ]
        if let origin = result.origin, let check = result.captureCheck {
            head.append(
                (
                    "captured_in",
                    .object([
                        ("grouping", .string(result.simulation.groupings[0].name)),
                        ("capture_point", .string(origin.point.rawValue)),
                    ])
                ))
            head.append(("check_kind", .string("consistency")))
            if let summary = result.profileReplayCheck {
                head.append(("profile_replay_check", CalibrationReport.replayCheckSummaryJSON(summary)))
            }
            head.append(
                (
                    "check",
                    .array(
                        check.map { row in
                            .object([
                                ("flow", .string(row.flow)), ("exchanges", .integer(Int64(row.captured.count))),
                                ("captured_p50_ns", .integer(Int64(row.captured.valueAtPercentile(50)))),
                                ("simulated_p50_ns", .integer(Int64(row.simulated.valueAtPercentile(50)))),
                                ("p50_error", .number(row.error(50))),
                                ("captured_p99_ns", .integer(Int64(row.captured.valueAtPercentile(99)))),
                                ("simulated_p99_ns", .integer(Int64(row.simulated.valueAtPercentile(99)))),
                                ("p99_error", .number(row.error(99))),
                                ("modelled_p50_ns", .number(SimulationReport.rounded(row.modelledAtMedian))),
                            ])
                        })
                ))
        }
        return .object(head + replaced + [("warnings", .array(result.warnings.map { .string($0) }))])
    }

    /// The replayed groupings as `simulate` writes CSV: one row per grouping and flow.
    public static func csv(_ result: ReplayResult) -> String {
        SimulationReport.csv(result.simulation)
    }

    /// The check against the capture first (with an origin), then per flow the captured
    /// request-to-reply times and each grouping's, one row per grouping, with one-way delivery.
    public static func table(_ result: ReplayResult, trace: String) -> String {
        let causal = result.mode == .causal
        let how =
            causal
            ? "causal mode: each message after the one before it is delivered, plus the captured gap"
            : "open mode: each captured message sent at its captured time"
        let point = result.interface.map { " (interface \($0) only)" } ?? ""
        var output = SimulationReport.wrap("Replay of \(trace)\(point)", width: 100) + "\n"
        output += "\(how)\n\(result.simulation.groupings.count) grouping(s), profile \(result.simulation.profile)\n\n"
        let flowLabels = ShortNames(
            result.simulation.groupings.first?.flows.map(\.name) ?? [], limit: ShortNames.flowLimit)
        let groupingLabels = ShortNames(result.simulation.groupings.map(\.name), limit: ShortNames.groupingLimit)
        let format = { (histogram: LatencyHistogram, percentile: Double) in
            histogram.count > 0 ? SimulationReport.formatNanoseconds(histogram.valueAtPercentile(percentile)) : "-"
        }
        if let origin = result.origin, let rows = result.captureCheck {
            output +=
                SimulationReport.wrap(
                    "Consistency check (not a validation of the profile): replayed through \(result.simulation.groupings[0].name), where the capture was made (capture point \(origin.point.rawValue))",
                    width: 100) + "\n"
            var check = TextTable(columns: [
                .init("flow"), .init("exchanges", alignment: .right), .init("captured p50", alignment: .right),
                .init("sim p50", alignment: .right),
                .init("error", alignment: .right), .init("captured p99", alignment: .right),
                .init("sim p99", alignment: .right),
                .init("error", alignment: .right), .init("modelled", alignment: .right),
            ])
            for row in rows {
                check.append([
                    flowLabels.label(of: row.flow), "\(row.captured.count)", format(row.captured, 50),
                    format(row.simulated, 50),
                    FigureText.percent(row.error(50), signed: true),
                    format(row.captured, 99), format(row.simulated, 99),
                    FigureText.percent(row.error(99), signed: true),
                    SimulationReport.formatNanoseconds(row.modelledAtMedian),
                ])
            }
            output += rows.isEmpty ? "(no flow shows a request followed by a reply to check)\n" : check.rendered()
            output +=
                SimulationReport.wrap(
                    "request to reply as the client application lives it: the captured times plus the modelled host costs outside the capture point (modelled: that part at p50). The replay took this profile's costs for the captured path out of every captured gap, so this grouping gives the capture back by construction: the check shows the replay is consistent, not that the profile fits this host (netlab calibrate measures that)",
                    width: 100) + "\n"
            output += SimulationReport.wrap(profileReplayCheckLine(result.profileReplayCheck), width: 100) + "\n\n"
        }
        var table = TextTable(columns: [
            .init("flow"), .init("grouping"), .init("path"), .init("req→reply p50", alignment: .right),
            .init("p99", alignment: .right),
            .init("one-way p50", alignment: .right), .init("msgs", alignment: .right),
        ])
        for index in (result.simulation.groupings.first?.flows ?? []).indices {
            let captured = result.captured[index]
            table.append([
                flowLabels.labels[index], "captured", "-", format(captured, 50), format(captured, 99), "-",
                "\(captured.count)",
            ])
            if result.origin != nil {
                let application = result.capturedAtApplication[index]
                table.append([
                    "", "captured, at the app", "-", format(application, 50), format(application, 99), "-",
                    "\(application.count)",
                ])
            }
            for (groupingIndex, grouping) in result.simulation.groupings.enumerated() {
                let value = grouping.flows[index]
                let exchanges = result.simulatedExchanges[groupingIndex][index]
                table.append([
                    "", groupingLabels.labels[groupingIndex], value.path.rawValue + (value.pathMix.isEmpty ? "" : "+"),
                    format(exchanges, 50),
                    format(exchanges, 99),
                    format(value.latency, 50), "\(value.messages)",
                ])
            }
        }
        output += table.rendered()
        output +=
            "req→reply: the client's first message sent to the server's last one received (captured: at the\n"
            + "capture point); one-way: each message, sent to delivered\n"
        output += flowLabels.legendText(title: "flows in full") + groupingLabels.legendText(title: "groupings in full")
        for warning in result.warnings { output += SimulationReport.wrap("warning: \(warning)", width: 100) + "\n" }
        return output
    }

}

extension ReplayReport {
    /// The replay as an HTML page: the simulate report, each flow showing the simulated
    /// request-to-reply exchanges beside the captured ones (like against like; moved to the client
    /// application when the capture's origin is known).
    public static func html(_ result: ReplayResult, trace: String, inputs: ReportInputs) -> String {
        var simulation = result.simulation
        for grouping in simulation.groupings.indices {
            for flow in simulation.groupings[grouping].flows.indices {
                simulation.groupings[grouping].flows[flow].latency = result.simulatedExchanges[grouping][flow]
            }
        }
        let reference = result.origin != nil ? result.capturedAtApplication : result.captured
        let name = result.origin != nil ? "captured, at the app" : "captured"
        let captured: [(name: String, histogram: LatencyHistogram)?] = reference.map {
            $0.count > 0 ? (name: name, histogram: $0) : nil
        }
        let title = "netlab replay: \(trace) (\(result.mode.rawValue), request→reply times)"
        return SimulationReport.html(simulation, inputs: inputs, title: title, captured: captured)
    }
}

extension ReplayReport {
    /// What a user can trust instead of the consistency check: the profile's own replay check,
    /// or how to get one.
    static func profileReplayCheckLine(_ summary: ReplayCheckRecord.Summary?) -> String {
        guard let summary else {
            return
                "This profile carries no replay check: 'netlab calibrate --replay' measures, on your host, how far a capture replayed into another placement lands from what that placement really does."
        }
        return
            "This profile's replay check (netlab calibrate --replay, on the host it was calibrated on): replayed into another placement, p50 off by \(FigureText.percent(summary.medianP50Error)) and p99 by \(FigureText.percent(summary.medianP99Error)) (medians over \(summary.predictions)); the difference between placements off by \(FigureText.duration(nanoseconds: summary.medianDifferenceError * 1_000)), inside the measured interval in \(FigureText.percent(summary.differencesInside, decimals: 0)) of cases."
    }
}
