import Testing

@testable import NetLabStats

@Suite struct ConfidenceIntervalTests {
    @Test func studentQuantilesMatchTheTable() {
        #expect(ConfidenceInterval.studentT975(degreesOfFreedom: 9) == 2.262)
        #expect(abs(ConfidenceInterval.studentT975(degreesOfFreedom: 1_000_000) - 1.960) < 0.001)
        let interval = ConfidenceInterval([1, 2, 3, 4, 5])
        #expect(interval.mean == 3)
        #expect(abs(interval.halfWidth - 2.776 * (2.5 / 5).squareRoot()) < 1e-12)
    }

    @Test func oneReplicationHasNoInterval() {
        #expect(ConfidenceInterval([4]).halfWidth == .infinity)
    }
}
