import NetLabModel

extension CalibrationReport {
    /// The calibration as an HTML page: the summary, measured against predicted per case, the fit.
    public static func html(_ record: CalibrationRecord, profileName: String, inputs: ReportInputs) -> String {
        var page = HTMLPage(title: "netlab calibrate")
        if let host = record.provenance {
            page.paragraph(
                "\(host.host): \(host.cpu), \(host.cores) cores, Linux \(host.kernel), \(host.virtualization), \(host.date)",
                className: "meta")
        }
        page.heading("How well the profile predicts this host")
        page.raw(
            "<div class=\"verdict\"><pre>\(HTMLPage.escape(summaryLines(record).trimmingCharacters(in: .whitespacesAndNewlines)))</pre></div>"
        )
        for kind in CalibrationCase.Kind.allCases {
            let cases = record.measurements.filter { $0.calibrationCase.kind == kind && $0.predicted != nil }
            guard !cases.isEmpty else { continue }
            let bulk = kind == .bulk
            let label: (Double) -> String = { value in
                bulk ? SimulationReport.formatRate(value) : SVGChart.durationLabel(value * 1000)
            }
            func points(training: Bool) -> [(x: Double, y: Double)] {
                cases.filter { $0.calibrationCase.isTraining == training }.map {
                    (x: $0.measured, y: $0.predicted ?? 0)
                }
            }
            let chart = SVGChart.scatter(
                title: bulk
                    ? "Streams: measured against predicted throughput" : "Round trips: measured against predicted p50",
                xLabel: bulk ? "measured (bits per second)" : "measured round trip p50",
                yLabel: bulk ? "predicted (bits per second)" : "predicted round trip p50",
                series: [
                    (name: "training", points: points(training: true)),
                    (name: "held-out", points: points(training: false)),
                ],
                label: label)
            page.raw(
                "<figure>" + chart
                    + "<figcaption>Points on the dashed line are predicted exactly; log scales.</figcaption></figure>")
        }
        var rows = [["case", "set", "measured", "spread", "predicted", "error"]]
        for measurement in record.measurements { rows.append(cells(measurement)) }
        page.table(rows, caption: "Every case (profile: \(profileName))")
        page.heading("The fit")
        page.list(
            [
                "fitted: "
                    + (record.fittedFields.isEmpty
                        ? "nothing (a check of a given profile)" : record.fittedFields.joined(separator: ", "))
            ]
                + record.undeterminedFields.map { "not determined: \($0.field): \($0.why)" }
                + record.skipped.map { "skipped: \($0.name): \($0.why)" })
        let note = standInNote(record)
        if !note.isEmpty { page.paragraph(note.trimmingCharacters(in: .whitespacesAndNewlines), className: "meta") }
        if let check = record.replayCheck {
            page.heading("Replay check")
            page.paragraph("Profile \(check.profile): \(replayCheckMethod).", className: "meta")
            page.raw("<pre>\(HTMLPage.escape(replayCheckTable(check)))</pre>")
        }
        page.inputs(inputs)
        return page.rendered
    }
}
