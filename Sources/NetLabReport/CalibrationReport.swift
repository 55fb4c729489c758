import NetLabModel

/// `netlab calibrate` output: measured vs predicted per case with a summary (table, JSON), and the
/// calibrated profile file, which carries its provenance and every case.
public enum CalibrationReport {
    public static func table(_ record: CalibrationRecord, profileName: String) -> String {
        var output = ""
        if let host = record.provenance {
            output +=
                "host \(host.host): \(host.cpu), \(host.cores) cores, Linux \(host.kernel), \(host.virtualization)\n"
        }
        output +=
            "profile: \(profileName); round trips are p50 of each repetition, their median shown; ± is the spread (max−min)/median\n\n"
        var table = TextTable(columns: [
            .init("case"), .init("set"), .init("measured", alignment: .right), .init("±", alignment: .right),
            .init("predicted", alignment: .right), .init("error", alignment: .right),
        ])
        for measurement in record.measurements { table.append(cells(measurement)) }
        output += table.rendered()
        output += summaryLines(record)
        if !record.fittedFields.isEmpty { output += "\nfitted: \(record.fittedFields.joined(separator: ", "))\n" }
        for (field, why) in record.undeterminedFields { output += "not determined: \(field): \(why)\n" }
        for (name, why) in record.skipped { output += "skipped: \(name): \(why)\n" }
        output += standInNote(record)
        return output
    }

    static func summaryLines(_ record: CalibrationRecord) -> String {
        var output = ""
        let heldOut = record.measurements.filter { !$0.calibrationCase.isTraining }
        for (label, cases) in [
            ("held-out", heldOut), ("training", record.measurements.filter { $0.calibrationCase.isTraining }),
        ] {
            guard let summary = CalibrationSummary(cases) else { continue }
            output +=
                "\n\(label): \(summary.cases) cases, median |error| \(SimulationReport.formatPercent(summary.medianAbsoluteError)), "
            output += "max \(SimulationReport.formatPercent(summary.maximumAbsoluteError)), "
            output += "\(summary.within15Percent) within 15%, \(summary.within25Percent) within 25%"
        }
        for path in CalibrationCase.Path.allCases {
            for kind in CalibrationCase.Kind.allCases {
                guard
                    let summary = CalibrationSummary(
                        heldOut.filter { $0.calibrationCase.path == path && $0.calibrationCase.kind == kind })
                else { continue }
                output +=
                    "\n  held-out \(path.rawValue) \(kind.rawValue): \(summary.cases) cases, median |error| \(SimulationReport.formatPercent(summary.medianAbsoluteError))"
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
        return
            "note: 'routed' and 'vxlan' are two namespaces joined by a veth pair on this host, standing in for two nodes, a NIC and a switch; set the NIC figures (nic_transmit, nic_receive, nic_interrupt_delay) and link rates for real hardware yourself\n"
    }

    /// One measured case as table cells: name, training or held-out, measured, spread,
    /// predicted, error.
    static func cells(_ measurement: CalibrationMeasurement) -> [String] {
        let item = measurement.calibrationCase
        return [
            item.name, item.isTraining ? "training" : "held-out", format(measurement.measured, item.kind),
            SimulationReport.formatPercent(measurement.spread),
            measurement.predicted.map { format($0, item.kind) } ?? "-",
            measurement.error.map { signedPercent($0) } ?? "-",
        ]
    }

    static func format(_ value: Double, _ kind: CalibrationCase.Kind) -> String {
        guard value.isFinite else { return "-" }
        return kind == .bulk
            ? SimulationReport.formatRate(value) : SimulationReport.formatNanoseconds(UInt64(max(0, value * 1000)))
    }

    static func signedPercent(_ value: Double) -> String {
        (value >= 0 ? "+" : "") + SimulationReport.formatPercent(value)
    }

    /// The report as JSON: provenance, fit, cases, summaries.
    public static func json(_ record: CalibrationRecord, profileName: String) -> JSONValue {
        var fields: [(String, JSONValue)] = [("profile", .string(profileName))]
        fields += recordFields(record)
        for (label, cases) in [
            ("held_out", record.measurements.filter { !$0.calibrationCase.isTraining }),
            ("training", record.measurements.filter { $0.calibrationCase.isTraining }),
        ] {
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
        let values: [(String, JSONValue)] = overrides.keys.sorted().map { ($0, .string("\(Int64(overrides[$0]!))ps")) }
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
                            ("set", .string(item.isTraining ? "training" : "held-out")),
                            ("unit", .string(item.kind == .bulk ? "bps" : "us")),
                            ("measured", .number(SimulationReport.rounded(measurement.measured))),
                            ("spread", .number(SimulationReport.rounded(measurement.spread))),
                            (
                                "repetitions",
                                .array(measurement.repetitions.map { .number(SimulationReport.rounded($0)) })
                            ),
                        ]
                        if let predicted = measurement.predicted {
                            entry.append(("predicted", .number(SimulationReport.rounded(predicted))))
                        }
                        if let error = measurement.error {
                            entry.append(("error", .number(SimulationReport.rounded(error))))
                        }
                        return .object(entry)
                    })
            ))
        return fields
    }
}
