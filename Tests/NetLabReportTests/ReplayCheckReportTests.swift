import NetLabCore
import NetLabModel
import NetLabSpec
import Testing

@testable import NetLabReport

/// A replay check travels from `calibrate --replay` into the profile file, and from there into
/// the report of every replay made with that profile.
struct ReplayCheckReportTests {
    static let check = ReplayCheckRecord(
        profile: "calibrated", placements: ["one pod", "two pods"],
        workloads: [
            .init(
                name: "w", requestBytes: 200, replyBytes: 4_096, serverWorkMicroseconds: 0,
                thinkMeanMicroseconds: 1_000, exchanges: 100, runs: 2)
        ],
        captures: [
            .init(
                workload: 0, placement: 0, measured: .init(p50: 100, p99: 300, p50HalfInterval: 3),
                replayed: [.init(p50: 98, p99: 290), .init(p50: 118, p99: 330)], negativeGaps: 1, gaps: 398,
                droppedPackets: 0),
            .init(
                workload: 0, placement: 1, measured: .init(p50: 115, p99: 320, p50HalfInterval: 4),
                replayed: [.init(p50: 101, p99: 280), .init(p50: 119, p99: 310)], negativeGaps: 0, gaps: 398,
                droppedPackets: 0),
        ])

    @Test func theProfileFileCarriesTheCheckAndReadsBack() throws {
        var record = CalibrationRecord(provenance: nil, measurements: [])
        record.replayCheck = Self.check
        let text = CalibrationReport.profileFile(record, base: "linux-default", overrides: [:]).rendered()
        // Still a profile netlab reads...
        _ = try ProfileReader.read(text, file: "calibrated.json")
        // ...whose replay check a replay can quote.
        let summary = try #require(ProfileReader.replayCheckSummary(text))
        let expected = Self.check.summary
        #expect(summary.predictions == expected.predictions)
        #expect(abs(summary.medianP50Error - expected.medianP50Error) < 1e-6)
        #expect(abs(summary.medianDifferenceError - expected.medianDifferenceError) < 1e-6)
        #expect(summary.differencesInside == expected.differencesInside)
        #expect(summary.negativeGaps == 1 && summary.gaps == 796)
        let line = ReplayReport.profileReplayCheckLine(summary)
        #expect(line.contains(FigureText.percent(expected.medianP50Error)), "\(line)")
        #expect(ReplayReport.profileReplayCheckLine(nil).contains("netlab calibrate --replay"))
        #expect(ProfileReader.replayCheckSummary(#"{"base": "linux-default"}"#) == nil)
    }

    @Test func theTableShowsEveryCaptureThroughEveryPlacement() {
        let table = CalibrationReport.replayCheckTable(Self.check)
        #expect(table.contains("replayed into another placement (2 predictions)"))
        #expect(table.contains("negative gaps: 1 of 796"))
        // Two captures, each through two placements; then the two predicted differences.
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("w ") }
        #expect(rows.count == 6)
        #expect(rows.allSatisfy { $0.count <= 100 }, "\(rows)")
        #expect(rows.contains { $0.contains("one pod → two pods") && $0.contains("+20.0us") && $0.contains("yes") })
    }
}
