import NetLabModel
import Testing

/// The figures `calibrate --replay` summarises a replay check by, on a record made by hand.
struct ReplayCheckRecordTests {
    typealias Times = ReplayCheckRecord.Times

    /// Two placements; the capture made in each replayed through both.
    static let record = ReplayCheckRecord(
        profile: "test", placements: ["here", "there"],
        workloads: [
            .init(
                name: "w", requestBytes: 64, replyBytes: 64, serverWorkMicroseconds: 0, thinkMeanMicroseconds: 1_000,
                exchanges: 100)
        ],
        captures: [
            .init(
                workload: 0, placement: 0, measured: Times(p50: 100, p99: 200, p50HalfInterval: 3),
                replayed: [Times(p50: 104, p99: 210), Times(p50: 114, p99: 330)], negativeGaps: 2, gaps: 99,
                droppedPackets: 0),
            .init(
                workload: 0, placement: 1, measured: Times(p50: 120, p99: 300, p50HalfInterval: 4),
                replayed: [Times(p50: 90, p99: 150), Times(p50: 108, p99: 270)], negativeGaps: 0, gaps: 99,
                droppedPackets: 0),
        ])

    @Test func offDiagonalPredictionsCompareWithTheOtherPlacementsOwnRun() throws {
        let predictions = Self.record.offDiagonal
        #expect(predictions.count == 2)
        let forward = try #require(predictions.first { $0.capturedIn == 0 })
        #expect(forward.replayedThrough == 1)
        #expect(abs(forward.p50Error - (114.0 / 120 - 1)) < 1e-12)
        #expect(abs(forward.p99Error - (330.0 / 300 - 1)) < 1e-12)
        // Predicted: through there minus through here, from the same capture; measured: the two runs.
        #expect(forward.predictedDifference == 10)
        #expect(forward.measuredDifference == 20)
        // The two medians' intervals combine in quadrature: 3 and 4 give 5.
        #expect(forward.differenceHalfInterval == 5)
        #expect(!forward.differenceInsideInterval)
        let backward = try #require(predictions.first { $0.capturedIn == 1 })
        #expect(backward.predictedDifference == -18)
        #expect(backward.measuredDifference == -20)
        #expect(backward.differenceInsideInterval)
    }

    @Test func summaryTakesMediansOfMagnitudesAndCountsGaps() {
        let summary = Self.record.summary
        #expect(summary.predictions == 2)
        let p50Errors = [abs(114.0 / 120 - 1), abs(90.0 / 100 - 1)]
        #expect(abs(summary.medianP50Error - (p50Errors[0] + p50Errors[1]) / 2) < 1e-12)
        #expect(summary.medianDifferenceError == 6)  // |10 − 20| and |−18 + 20|
        #expect(summary.differencesInside == 0.5)
        #expect(abs(summary.medianIdentityError - (0.04 + 0.1) / 2) < 1e-12)
        #expect(summary.negativeGaps == 2)
        #expect(summary.gaps == 198)
    }

    @Test func aPlacementNotMeasuredGivesNoPrediction() {
        var record = Self.record
        record.captures.removeLast()
        #expect(record.offDiagonal.isEmpty)
        #expect(record.summary.medianP50Error.isNaN)
    }
}
