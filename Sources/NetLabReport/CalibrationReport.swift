import NetLabCore
import NetLabModel
import NetLabSpec

/// `netlab calibrate` output: measured vs predicted per case with a summary (table, JSON), and the
/// calibrated profile file, which carries its provenance and every case.
public enum CalibrationReport {
    /// The calibration for people: the host it ran on, the fitted figures, then per case what was
    /// measured, what `profileName` predicts and the error, and the errors summarised per path class.
    public static func table(_ record: CalibrationRecord, profileName: String) -> String {
        var output = ""
        if let host = record.provenance {
            output +=
                SimulationReport.wrap(
                    "host \(host.host): \(host.cpu), \(host.cores) cores, Linux \(host.kernel), \(host.virtualization)",
                    width: 100) + "\n"
        }
        output +=
            SimulationReport.wrap(
                "profile: \(profileName); round trips are p50 of each repetition, their median shown; ± is the spread (max−min)/median",
                width: 100) + "\n\n"
        var table = TextTable(columns: [
            .init("case"), .init("set"), .init("measured", alignment: .right), .init("±", alignment: .right),
            .init("predicted", alignment: .right), .init("error", alignment: .right),
        ])
        for measurement in record.measurements { table.append(cells(measurement)) }
        output += table.rendered()
        output += tailTable(record)
        output += summaryLines(record)
        if !record.fittedFields.isEmpty {
            output +=
                "\n" + SimulationReport.wrap("fitted: \(record.fittedFields.joined(separator: ", "))", width: 100)
                + "\n"
        }
        for (field, why) in record.undeterminedFields {
            output += SimulationReport.wrap("not determined: \(field): \(why)", width: 100) + "\n"
        }
        for (name, why) in record.skipped {
            output += SimulationReport.wrap("skipped: \(name): \(why)", width: 100) + "\n"
        }
        output += standInNote(record)
        if let check = record.replayCheck { output += replayCheckTable(check) }
        return output
    }

    /// The round trips' upper quantiles, where they were measured: p99 with its spread over the
    /// repetitions, and p99.9.
    static func tailTable(_ record: CalibrationRecord) -> String {
        let measured = record.measurements.filter { $0.measured(\.p99) != nil }
        guard !measured.isEmpty else { return "" }
        var table = TextTable(columns: [
            .init("case"), .init("p99", alignment: .right),
            .init("predicted", alignment: .right), .init("error", alignment: .right),
            .init("p99.9", alignment: .right), .init("predicted", alignment: .right),
            .init("error", alignment: .right),
        ])
        for measurement in measured {
            let kind = measurement.calibrationCase.kind
            table.append([
                measurement.calibrationCase.name, format(measurement.measured(\.p99) ?? .nan, kind),
                measurement.predictedTail.map { format($0.p99, kind) } ?? "-",
                measurement.error(\.p99).map(signedPercent) ?? "-",
                format(measurement.measured(\.p999) ?? .nan, kind),
                measurement.predictedTail.map { format($0.p999, kind) } ?? "-",
                measurement.error(\.p999).map(signedPercent) ?? "-",
            ])
        }
        return "\nround trip tails (median of the repetitions' p99 and p99.9; their spreads are in the JSON):\n"
            + table.rendered()
    }

    static func summaryLines(_ record: CalibrationRecord) -> String {
        var output = ""
        let heldOut = record.measurements.filter { !$0.calibrationCase.isTraining }
        for (label, cases) in [
            ("held-out", heldOut), ("training", record.measurements.filter { $0.calibrationCase.isTraining }),
        ] {
            guard let summary = CalibrationSummary(cases) else { continue }
            output +=
                "\n\(label): \(summary.cases) cases, median |error| \(FigureText.percent(summary.medianAbsoluteError)), "
            output += "max \(FigureText.percent(summary.maximumAbsoluteError)), "
            output += "\(summary.within15Percent) within 15%, \(summary.within25Percent) within 25%"
        }
        for (label, quantile) in [("p99", \RoundTripTail.p99), ("p99.9", \RoundTripTail.p999)] {
            guard let summary = CalibrationSummary(heldOut, quantile: quantile) else { continue }
            output +=
                "\nheld-out \(label): \(summary.cases) round trips, median |error| \(FigureText.percent(summary.medianAbsoluteError)), "
            output += "\(summary.within25Percent) within 25%"
        }
        for path in CalibrationCase.Path.allCases {
            for kind in CalibrationCase.Kind.allCases {
                let cases = heldOut.filter { $0.calibrationCase.path == path && $0.calibrationCase.kind == kind }
                guard let summary = CalibrationSummary(cases) else { continue }
                output +=
                    "\n  held-out \(path.rawValue) \(kind.rawValue): \(summary.cases) cases, median |error| \(FigureText.percent(summary.medianAbsoluteError))"
                for (label, quantile) in [("p99", \RoundTripTail.p99), ("p99.9", \RoundTripTail.p999)] {
                    guard let tail = CalibrationSummary(cases, quantile: quantile) else { continue }
                    output += ", \(label) \(FigureText.percent(tail.medianAbsoluteError))"
                }
            }
        }
        return output + "\n"
    }

    static func standInNote(_ record: CalibrationRecord) -> String {
        guard
            record.measurements.contains(where: {
                $0.calibrationCase.path == .routed || $0.calibrationCase.path == .vxlan
            })
        else { return "" }
        return SimulationReport.wrap(
            "note: 'routed' and 'vxlan' are two namespaces joined by a veth pair on this host, standing in for two nodes, a NIC and a switch; set the NIC figures (nic_transmit, nic_receive, nic_interrupt_delay) and link rates for real hardware yourself",
            width: 100) + "\n"
    }

    /// One measured case as table cells: name, training or held-out, measured, spread,
    /// predicted, error.
    static func cells(_ measurement: CalibrationMeasurement) -> [String] {
        let item = measurement.calibrationCase
        return [
            item.name, item.isTraining ? "training" : "held-out", format(measurement.measured, item.kind),
            FigureText.percent(measurement.spread),
            measurement.predicted.map { format($0, item.kind) } ?? "-",
            measurement.error.map { signedPercent($0) } ?? "-",
        ]
    }

    static func format(_ value: Double, _ kind: CalibrationCase.Kind) -> String {
        guard value.isFinite else { return "-" }
        return kind == .bulk
            ? SimulationReport.formatRate(value) : SimulationReport.formatNanoseconds(value * 1000)
    }

    static func signedPercent(_ value: Double) -> String {
        FigureText.percent(value, signed: true)
    }

    /// The report as JSON: provenance, fit, cases, summaries.
    public static func json(_ record: CalibrationRecord, profileName: String) -> JSONValue {
        var fields: [(String, JSONValue)] = [("profile", .string(profileName))]
        fields += recordFields(record)
        for (label, cases) in [
            ("held_out", record.measurements.filter { !$0.calibrationCase.isTraining }),
            ("training", record.measurements.filter { $0.calibrationCase.isTraining }),
        ] {
            for (suffix, quantile) in [("p99", \RoundTripTail.p99), ("p999", \RoundTripTail.p999)] {
                guard let tail = CalibrationSummary(cases, quantile: quantile) else { continue }
                fields.append(
                    (
                        "\(label)_\(suffix)_summary",
                        .object([
                            ("cases", .integer(Int64(tail.cases))),
                            ("median_abs_error", .number(SimulationReport.rounded(tail.medianAbsoluteError))),
                            ("within_25_percent", .integer(Int64(tail.within25Percent))),
                        ])
                    ))
            }
            guard let summary = CalibrationSummary(cases) else { continue }
            fields.append(
                (
                    "\(label)_summary",
                    .object([
                        ("cases", .integer(Int64(summary.cases))),
                        ("median_abs_error", .number(SimulationReport.rounded(summary.medianAbsoluteError))),
                        ("max_abs_error", .number(SimulationReport.rounded(summary.maximumAbsoluteError))),
                        ("within_15_percent", .integer(Int64(summary.within15Percent))),
                        ("within_25_percent", .integer(Int64(summary.within25Percent))),
                    ])
                ))
        }
        return .object(fields)
    }

    /// The calibrated profile file: usable with `--profile FILE` and as a topology's profile base.
    public static func profileFile(_ record: CalibrationRecord, base: String, overrides: [String: Double]) -> JSONValue
    {
        let values: [(String, JSONValue)] = overrides.keys.sorted().map { key in
            let value = overrides[key]!
            let field = CostProfile.Field(rawValue: key)
            if field == .congestionControl, let algorithm = CongestionControl(number: value) {
                return (key, .string(algorithm.rawValue))
            }
            if field == .affineWakeups { return (key, .string(CostProfile.transportText(value))) }
            let plain = field?.isPlainNumber ?? false
            return (key, plain ? .number(value) : .string("\(Int64(saturating: value))ps"))
        }
        return .object([("base", .string(base)), ("overrides", .object(values))] + recordFields(record))
    }

    static func recordFields(_ record: CalibrationRecord) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = []
        if let host = record.provenance {
            fields.append(
                (
                    "provenance",
                    .object([
                        ("host", .string(host.host)), ("cpu", .string(host.cpu)),
                        ("cores", .integer(Int64(host.cores))),
                        ("kernel", .string(host.kernel)), ("virtualization", .string(host.virtualization)),
                        ("date", .string(host.date)), ("netlab", .string(host.netlabVersion)),
                    ])
                ))
        }
        fields.append(
            (
                "fit",
                .object([
                    ("fitted", .array(record.fittedFields.map { .string($0) })),
                    (
                        "undetermined",
                        .array(
                            record.undeterminedFields.map {
                                .object([("field", .string($0.field)), ("why", .string($0.why))])
                            })
                    ),
                    (
                        "skipped",
                        .array(record.skipped.map { .object([("case", .string($0.name)), ("why", .string($0.why))]) })
                    ),
                ])
            ))
        fields.append(
            (
                "cases",
                .array(
                    record.measurements.map { measurement in
                        let item = measurement.calibrationCase
                        var entry: [(String, JSONValue)] = [
                            ("case", .string(item.name)), ("kind", .string(item.kind.rawValue)),
                            ("path", .string(item.path.rawValue)),
                            ("transport", .string(item.transport.rawValue)), ("size", .integer(Int64(item.size))),
                            ("placement", .string(item.placement.rawValue)),
                            ("wait", .string(item.poll ? "poll" : "block")),
                            ("think_us", .integer(Int64(item.thinkMicroseconds))),
                        ]
                        if let algorithm = item.congestionControl {
                            entry.append(("congestion_control", .string(algorithm.rawValue)))
                        }
                        if let shaper = item.shaper {
                            entry.append(
                                (
                                    "shaper",
                                    .object([
                                        ("rate", .string(shaper.rate.description)),
                                        ("burst", .string(shaper.burst.description)),
                                        ("limit", .string(shaper.limit.description)),
                                    ])
                                ))
                        }
                        entry += [
                            ("set", .string(item.isTraining ? "training" : "held-out")),
                            ("unit", .string(item.kind == .bulk ? "bps" : "us")),
                            ("measured", .number(SimulationReport.rounded(measurement.measured))),
                            ("spread", .number(SimulationReport.rounded(measurement.spread))),
                            (
                                "repetitions",
                                .array(measurement.repetitions.map { .number(SimulationReport.rounded($0)) })
                            ),
                        ]
                        if !measurement.tails.isEmpty {
                            entry.append(
                                (
                                    "tails",
                                    .array(
                                        measurement.tails.map {
                                            .object([
                                                ("p90", .number(SimulationReport.rounded($0.p90))),
                                                ("p99", .number(SimulationReport.rounded($0.p99))),
                                                ("p999", .number(SimulationReport.rounded($0.p999))),
                                            ])
                                        })
                                ))
                        }
                        if let predicted = measurement.predicted {
                            entry.append(("predicted", .number(SimulationReport.rounded(predicted))))
                        }
                        if let tail = measurement.predictedTail {
                            entry.append(
                                (
                                    "predicted_tail",
                                    .object([
                                        ("p90", .number(SimulationReport.rounded(tail.p90))),
                                        ("p99", .number(SimulationReport.rounded(tail.p99))),
                                        ("p999", .number(SimulationReport.rounded(tail.p999))),
                                    ])
                                ))
                        }
                        if let error = measurement.error {
                            entry.append(("error", .number(SimulationReport.rounded(error))))
                        }
                        return .object(entry)
                    })
            ))
        if let check = record.replayCheck { fields.append(("replay_check", replayCheckJSON(check))) }
        return fields
    }
}
