import Testing

@testable import NetLabStats

@Suite struct LatencyHistogramTests {
    @Test func everyValueLandsInABucketWhoseEdgeIsWithinOnePercentAbove() {
        for value: UInt64 in [0, 1, 127, 128, 129, 255, 256, 1_000, 65_535, 1 << 40, (1 << 40) + 12_345] {
            let (octave, slot) = LatencyHistogram.position(of: value)
            #expect(slot >= 0 && slot < 128)
            let edge = LatencyHistogram.upperEdge(octave: octave, slot: slot)
            #expect(edge >= value)
            #expect(Double(edge - value) <= Double(value) / 128 + 1e-9, "value \(value) edge \(edge)")
        }
    }

    @Test func percentilesOfAUniformRampAreWithinTheBucketError() {
        var histogram = LatencyHistogram()
        for nanoseconds in 1...100_000 as ClosedRange<Int64> { histogram.record(picoseconds: nanoseconds * 1000) }
        for percentile in [50.0, 90, 99, 99.9] {
            let exact = percentile / 100 * 100_000
            let reported = Double(histogram.valueAtPercentile(percentile))
            #expect(reported >= exact - 1 && reported <= exact * 1.008 + 1, "p\(percentile): \(reported) vs \(exact)")
        }
        #expect(histogram.valueAtPercentile(100) == 100_000)
        #expect(histogram.meanNanoseconds == 50_000.5)
        #expect(histogram.minimumPicoseconds == 1000 && histogram.maximumPicoseconds == 100_000_000)
    }

    /// Counts are kept in 16 bits with the excess beside them: a bucket that one sample at a time
    /// passes 2¹⁶ several times (a busy stream's commonest latency) counts every sample.
    @Test func bucketsCountPastSixteenBitsOneSampleAtATime() {
        var histogram = LatencyHistogram()
        for _ in 0..<200_000 { histogram.record(picoseconds: 2_000_000) }  // 2 µs
        histogram.record(picoseconds: 9_000_000)
        #expect(histogram.buckets.map(\.count) == [200_000, 1])
        let (octave, slot) = LatencyHistogram.position(of: 2_000)
        #expect(histogram.valueAtPercentile(99.9995) == LatencyHistogram.upperEdge(octave: octave, slot: slot))
        #expect(histogram.valueAtPercentile(100) == 9_000)
        var merged = histogram
        merged.merge(histogram)
        #expect(merged.buckets.map(\.count) == [400_000, 2])
    }

    /// A bucket past 2³² samples (a long run of a fast flow) still counts every one, through
    /// merging and percentiles.
    @Test func bucketsCountPastThirtyTwoBits() {
        var histogram = LatencyHistogram()
        histogram.record(picoseconds: 1_000_000)  // 1 µs
        histogram.record(picoseconds: 5_000_000)  // 5 µs
        let (octave, slot) = LatencyHistogram.position(of: 1_000)
        let many: UInt64 = 3 << 32 + 17
        histogram.add(many, octave: octave, slot: slot)
        histogram.add(UInt64(UInt32.max), octave: octave, slot: slot)
        histogram.recorded += many + UInt64(UInt32.max)
        let inFirst = 1 + many + UInt64(UInt32.max)
        #expect(histogram.buckets.map(\.count) == [inFirst, 1])
        var merged = LatencyHistogram()
        merged.record(picoseconds: 5_000_000)
        merged.merge(histogram)
        #expect(merged.buckets.map(\.count) == [inFirst, 2])
        // All but the two 5 µs samples are at 1 µs: the p99.9999999 is still there.
        #expect(merged.valueAtPercentile(99.999_999_9) == LatencyHistogram.upperEdge(octave: octave, slot: slot))
        #expect(merged.valueAtPercentile(100) == 5_000)
    }

    @Test func mergingEqualsRecordingEverything() {
        var a = LatencyHistogram(), b = LatencyHistogram(), all = LatencyHistogram()
        for value in stride(from: 0 as Int64, to: 5_000_000, by: 7_919) {
            if value % 2 == 0 { a.record(picoseconds: value) } else { b.record(picoseconds: value) }
            all.record(picoseconds: value)
        }
        a.merge(b)
        for percentile in [1.0, 50, 99] {
            #expect(a.valueAtPercentile(percentile) == all.valueAtPercentile(percentile))
        }
        #expect(a.count == all.count)
    }

    /// Memory follows the values, not whole octaves: latencies within 10% of each other keep a
    /// few dozen buckets; growing at either end keeps every count where it was (the buckets
    /// equal those of one histogram per value, merged).
    @Test func bucketsKeptFollowTheRangeSeen() {
        var narrow = LatencyHistogram()
        for step in 0..<1000 as Range<Int64> { narrow.record(picoseconds: 50_000_000 + step * 5_000) }
        #expect(narrow.counts.count <= 48, "\(narrow.counts.count) buckets for values within 10%")

        var grown = LatencyHistogram(), merged = LatencyHistogram()
        for value: Int64 in [400_000_000, 3_000, 90_000_000_000, 3_100, 0, 400_100_000, 7_000_000] {
            grown.record(picoseconds: value)
            var single = LatencyHistogram()
            single.record(picoseconds: value)
            merged.merge(single)
        }
        #expect(grown.buckets.map(\.upperEdgeNanoseconds) == merged.buckets.map(\.upperEdgeNanoseconds))
        #expect(grown.buckets.map(\.count) == merged.buckets.map(\.count))
        // 3,000 and 3,100 ps share the 3 ns bucket, 400 and 400.1 µs one 2,048 ns wide.
        #expect(grown.buckets.count == 5)
    }

    /// An outlier far above the rest (a 200 ms retransmission timeout among 20 µs round trips)
    /// costs one page of buckets, not the thirteen octaves between, and every percentile reads
    /// as it would in full.
    @Test func anOutlierFarAboveCostsOnePage() {
        var histogram = LatencyHistogram()
        for step in 0..<1000 as Range<Int64> { histogram.record(picoseconds: 20_000_000 + step * 1_000) }
        let body = histogram.counts.count
        let median = histogram.valueAtPercentile(50)
        histogram.record(picoseconds: 200_000_000_000)
        #expect(histogram.counts.count == body + LatencyHistogram.pageSize)
        #expect(histogram.valueAtPercentile(50) == median)
        #expect(histogram.valueAtPercentile(100) == 200_000_000)
        histogram.record(picoseconds: 2_000_000)  // and one far below
        #expect(histogram.counts.count == body + 2 * LatencyHistogram.pageSize)
        #expect(histogram.valueAtPercentile(0.01) == bucketEdge(of: 2_000))
        #expect(histogram.buckets.count == 2 + Set((0..<1000).map { 20_000 + $0 }.map { bucketEdge(of: $0) }).count)
    }

    /// A flow that records a handful of messages keeps their buckets, two bytes each, and no
    /// pages until its 33rd sample; every figure reads as it does from pages (the same samples
    /// recorded twice over, which passes into pages, hold twice the count in the same buckets).
    @Test func fewSamplesKeepNoPagesUntilTheThirtyThird() {
        let values: [Int64] = (0..<32).map { Int64($0 * $0) * 977_000 + 3_000 }
        var few = LatencyHistogram(), twice = LatencyHistogram()
        for value in values { few.record(picoseconds: value) }
        for value in values + values { twice.record(picoseconds: value) }
        #expect(few.pages.isEmpty && few.counts.isEmpty && few.early.count == 32)
        #expect(twice.early.isEmpty && !twice.pages.isEmpty)
        #expect(few.buckets.map(\.upperEdgeNanoseconds) == twice.buckets.map(\.upperEdgeNanoseconds))
        #expect(few.buckets.map { 2 * $0.count } == twice.buckets.map(\.count))
        for percentile in [0.0, 1, 25, 50, 90, 99, 100] {
            #expect(few.valueAtPercentile(percentile) == twice.valueAtPercentile(percentile), "p\(percentile)")
        }
        few.record(picoseconds: 3_000)
        #expect(few.early.isEmpty && !few.pages.isEmpty)
        #expect(few.buckets.first?.count == 2)
        // Merging into a histogram that still keeps early samples counts them first.
        var small = LatencyHistogram()
        small.record(picoseconds: 3_000)
        small.merge(few)
        #expect(small.early.isEmpty && small.buckets.first?.count == 3 && small.count == 34)
    }

    /// The upper edge of the bucket holding `nanoseconds`.
    private func bucketEdge(of nanoseconds: UInt64) -> UInt64 {
        let (octave, slot) = LatencyHistogram.position(of: nanoseconds)
        return LatencyHistogram.upperEdge(octave: octave, slot: slot)
    }

    @Test func emptyHistogramReportsZeros() {
        let histogram = LatencyHistogram()
        #expect(histogram.valueAtPercentile(99) == 0)
        #expect(histogram.meanNanoseconds == 0)
    }
}
