import NetLabCore
import NetLabModel
import NetLabSpec

/// The replay check of `netlab calibrate --replay` in each format: per capture, the replay
/// through every placement against what the reference application measured there.
extension CalibrationReport {
    static let replayCheckMethod =
        "the reference application (C) run twice in each placement, in mirrored order, captured with tcpdump inside the client's pod, each capture replayed in causal mode through every placement; truth: the client's own timestamps"

    /// The check for people, within 100 columns: a summary; per capture and placement replayed
    /// through, the p50 and p99 against those measured there; per pair of placements, the
    /// predicted difference against the measured one.
    static func replayCheckTable(_ check: ReplayCheckRecord) -> String {
        var output =
            "\n" + SimulationReport.wrap("replay check of profile \(check.profile): \(replayCheckMethod)", width: 100)
            + "\n"
        output += replayCheckSummary(check).map { SimulationReport.wrap($0, width: 100) + "\n" }.joined()
        let duration = { (microseconds: Double) in FigureText.duration(nanoseconds: microseconds * 1_000) }
        func route(_ capture: ReplayCheckRecord.Capture, _ target: Int) -> String {
            "\(shortName(check.placements[capture.placement])) → \(shortName(check.placements[target]))"
        }
        var times = TextTable(columns: [
            .init("workload"), .init("captured → replayed"), .init("p50 there", alignment: .right),
            .init("replayed", alignment: .right), .init("error", alignment: .right),
            .init("p99 there", alignment: .right), .init("replayed", alignment: .right),
            .init("error", alignment: .right),
        ])
        for capture in check.captures {
            for target in check.placements.indices {
                let replayed = capture.replayed[target]
                var cells = [check.workloads[capture.workload].name, route(capture, target)]
                if let there = check.capture(workload: capture.workload, placement: target) {
                    cells += [
                        duration(there.measured.p50), duration(replayed.p50),
                        FigureText.percent(replayed.p50 / there.measured.p50 - 1, signed: true),
                        duration(there.measured.p99), duration(replayed.p99),
                        FigureText.percent(replayed.p99 / there.measured.p99 - 1, signed: true),
                    ]
                } else {
                    cells += ["", duration(replayed.p50), "", "", duration(replayed.p99), ""]
                }
                times.append(cells)
            }
        }
        var differences = TextTable(columns: [
            .init("workload"), .init("captured → replayed"), .init("Δp50 measured", alignment: .right),
            .init("95% interval", alignment: .right), .init("predicted", alignment: .right), .init("inside"),
        ])
        for prediction in check.offDiagonal {
            guard let capture = check.capture(workload: prediction.workload, placement: prediction.capturedIn) else {
                continue
            }
            differences.append([
                check.workloads[prediction.workload].name, route(capture, prediction.replayedThrough),
                signedMicroseconds(prediction.measuredDifference), "±" + duration(prediction.differenceHalfInterval),
                signedMicroseconds(prediction.predictedDifference), prediction.differenceInsideInterval ? "yes" : "no",
            ])
        }
        return output + "\n" + times.rendered() + "\n" + differences.rendered()
    }

    /// A placement's name in a table: what its parentheses say ("one pod (loopback)": loopback).
    static func shortName(_ placement: String) -> String {
        guard let open = placement.lastIndex(of: "("), placement.hasSuffix(")") else { return placement }
        return String(placement[placement.index(after: open)..<placement.index(before: placement.endIndex)])
    }

    /// The figures a user trusts a replay by, one line each.
    static func replayCheckSummary(_ check: ReplayCheckRecord) -> [String] {
        let summary = check.summary
        var lines = [
            "replayed into another placement (\(summary.predictions) predictions): p50 error \(FigureText.percent(summary.medianP50Error)), p99 error \(FigureText.percent(summary.medianP99Error)) (medians of |error|)",
            "difference between placements: off by \(FigureText.duration(nanoseconds: summary.medianDifferenceError * 1_000)) (median); inside the measured 95% interval in \(FigureText.percent(summary.differencesInside, decimals: 0)) of cases",
            "replayed through its own placement: p50 off by \(FigureText.percent(summary.medianIdentityError)) (median) against the application's timestamps",
        ]
        if summary.negativeGaps > 0 {
            lines.append(
                "negative gaps: \(summary.negativeGaps) of \(summary.gaps) captured gaps came out negative after the profile's correction by more than its costs vary (work_sigma, wakeup_sigma) and were taken as zero: the profile charges more on the captured path than this host spends"
            )
        }
        let dropped = check.captures.reduce(0) { $0 + $1.droppedPackets }
        if dropped > 0 { lines.append("warning: tcpdump lost \(dropped) packets; the captures are incomplete") }
        return lines
    }

    static func signedMicroseconds(_ value: Double) -> String {
        (value < 0 ? "−" : "+") + FigureText.duration(nanoseconds: abs(value) * 1_000)
    }

    /// The check as JSON, in the report and in the profile file.
    static func replayCheckJSON(_ check: ReplayCheckRecord) -> JSONValue {
        let number = replayCheckNumber
        let summary = check.summary
        return .object([
            ("profile", .string(check.profile)), ("method", .string(replayCheckMethod)),
            ("placements", .array(check.placements.map { .string($0) })),
            (
                "workloads",
                .array(
                    check.workloads.map {
                        .object([
                            ("name", .string($0.name)), ("request_bytes", .integer(Int64($0.requestBytes))),
                            ("reply_bytes", .integer(Int64($0.replyBytes))),
                            ("server_work_us", number($0.serverWorkMicroseconds)),
                            ("think_mean_us", number($0.thinkMeanMicroseconds)),
                            ("exchanges", .integer(Int64($0.exchanges))), ("runs", .integer(Int64($0.runs))),
                        ])
                    })
            ),
            ("summary", replayCheckSummaryJSON(summary)),
            (
                "captures",
                .array(
                    check.captures.map { capture in
                        .object([
                            ("workload", .string(check.workloads[capture.workload].name)),
                            ("captured_in", .string(check.placements[capture.placement])),
                            (
                                "measured",
                                .object([
                                    ("p50_us", number(capture.measured.p50)), ("p99_us", number(capture.measured.p99)),
                                    ("p50_half_interval_us", number(capture.measured.p50HalfInterval)),
                                ])
                            ),
                            (
                                "replayed",
                                .array(
                                    capture.replayed.enumerated().map { target, replayed in
                                        .object(
                                            [("through", .string(check.placements[target]))]
                                                + [("p50_us", number(replayed.p50)), ("p99_us", number(replayed.p99))])
                                    })
                            ),
                            ("negative_gaps", .integer(Int64(capture.negativeGaps))),
                            ("gaps", .integer(Int64(capture.gaps))),
                            ("dropped_packets", .integer(Int64(capture.droppedPackets))),
                        ])
                    })
            ),
            (
                "predictions",
                .array(
                    check.offDiagonal.map { prediction in
                        .object([
                            ("workload", .string(check.workloads[prediction.workload].name)),
                            ("captured_in", .string(check.placements[prediction.capturedIn])),
                            ("replayed_through", .string(check.placements[prediction.replayedThrough])),
                            ("p50_error", number(prediction.p50Error)), ("p99_error", number(prediction.p99Error)),
                            ("predicted_difference_us", number(prediction.predictedDifference)),
                            ("measured_difference_us", number(prediction.measuredDifference)),
                            ("difference_half_interval_us", number(prediction.differenceHalfInterval)),
                            ("inside_interval", .bool(prediction.differenceInsideInterval)),
                        ])
                    })
            ),
        ])
    }

    /// The summary's figures as JSON: in the check itself, and quoted by every replay made with
    /// the profile.
    static func replayCheckSummaryJSON(_ summary: ReplayCheckRecord.Summary) -> JSONValue {
        let number = replayCheckNumber
        return .object([
            ("predictions", .integer(Int64(summary.predictions))),
            ("median_abs_p50_error", number(summary.medianP50Error)),
            ("median_abs_p99_error", number(summary.medianP99Error)),
            ("median_difference_error_us", number(summary.medianDifferenceError)),
            ("differences_inside_interval", number(summary.differencesInside)),
            ("median_abs_identity_error", number(summary.medianIdentityError)),
            ("negative_gaps", .integer(Int64(summary.negativeGaps))),
            ("gaps", .integer(Int64(summary.gaps))),
        ])
    }

    /// A figure of the check, rounded as the report rounds; not-a-number (no predictions) as null.
    private static func replayCheckNumber(_ value: Double) -> JSONValue {
        value.isFinite ? .number(SimulationReport.rounded(value)) : .null
    }
}
