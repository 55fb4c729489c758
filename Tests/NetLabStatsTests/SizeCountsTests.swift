import Testing

@testable import NetLabStats

/// Exact size percentiles, as `netlab inspect` reports frame sizes.
@Suite struct SizeCountsTests {
    @Test func percentilesAreExactSizes() {
        var sizes = SizeCounts()
        #expect(sizes.valueAtPercentile(50) == 0)
        for size in [60, 60, 60, 1514, 9000, 70_000] { sizes.record(size) }
        #expect(sizes.count == 6)
        #expect(sizes.valueAtPercentile(50) == 60)
        #expect(sizes.valueAtPercentile(66) == 1514)
        #expect(sizes.valueAtPercentile(80) == 9000)
        // Past 65535 bytes the counter is shared; the largest seen stands for it.
        #expect(sizes.valueAtPercentile(100) == 70_000)
        #expect(sizes.maximum == 70_000)
    }
}
