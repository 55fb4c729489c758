/// A log-linear histogram of latencies, in the manner of HdrHistogram (Tene): each power of two is
/// split into 128 equal sub-buckets, so any percentile is reported within 0.8% of the true sample,
/// in memory that grows with the values seen, not with their number or their range (a flow whose
/// latencies stay within a few percent of each other keeps a page or two of buckets, and a rare
/// outlier adds one page, not the octaves between).
///
/// A histogram's first samples are kept as their bucket numbers, two bytes each, and counted into
/// pages at the 33rd: most flows of a large cluster record a handful of messages in a run, whose
/// pages (32 bytes each, one per sample when the samples spread) would cost five times as much.
///
/// Mean, minimum and maximum are kept exactly (in picoseconds). Recording allocates only for the
/// first sample and when a value lands in a page not stored yet; steady state allocates nothing.
public struct LatencyHistogram: Sendable {
    @usableFromInline static let subBucketBits = 7
    @usableFromInline static let subBuckets = 1 << subBucketBits

    /// Buckets (bucket `octave × 128 + slot`; octave 0 holds 0..<128) are kept in pages of 16,
    /// and only pages that hold samples are stored: a flow's latencies fill a few pages, and an
    /// outlier far above them (a retransmission timeout) adds one page of 32 bytes, not the
    /// thousand buckets between. `pages` lists the stored pages' numbers (bucket / 16) in
    /// increasing order, and page `pages[i]` is `counts[16 i ..< 16 i + 16]`. Each count keeps its
    /// low 16 bits here (a quarter of the memory of 64-bit counts, for the hundreds of thousands
    /// of histograms a cluster keeps, whose buckets hold tens or hundreds of samples each) and
    /// anything above in `overflows`.
    @usableFromInline static let pageBits = 4
    @usableFromInline static let pageSize = 1 << pageBits
    @usableFromInline var counts: [UInt16] = []
    @usableFromInline var pages: [UInt16] = []
    /// The position in `pages` of the page last recorded into: most samples land there again.
    @usableFromInline var lastPage = 0
    /// Multiples of 2¹⁶ by bucket, for the buckets whose count passed 65,535 (a busy stream's or
    /// a long replay's commonest latencies; none in most flows).
    @usableFromInline var overflows: [Int: UInt64] = [:]
    /// The buckets of the first samples (up to ``earlySamples``), in the order recorded, not yet
    /// counted into the pages.
    @usableFromInline var early: [UInt16] = []
    @usableFromInline static let earlySamples: UInt64 = 32
    @usableFromInline var recorded: UInt64 = 0
    /// Latencies recorded.
    public var count: UInt64 { recorded }
    @usableFromInline var sum: Double = 0
    @usableFromInline var minimum: Int64 = .max
    @usableFromInline var maximum: Int64 = 0
    /// Sum of recorded picoseconds (as a Double; exact to 2^53 ps ≈ 2.5 hours summed).
    public var sumPicoseconds: Double { sum }
    /// The smallest latency recorded (`Int64.max` when empty).
    public var minimumPicoseconds: Int64 { minimum }
    public var maximumPicoseconds: Int64 { maximum }

    public init() {}

    /// Records one latency. Negative values are clamped to zero. Inlinable: the simulation and
    /// `inspect` call it once per message or packet.
    @inlinable
    public mutating func record(picoseconds value: Int64) {
        let clamped = max(value, 0)
        recorded += 1
        sum += Double(clamped)
        minimum = min(minimum, clamped)
        maximum = max(maximum, clamped)
        let nanoseconds = UInt64(clamped / 1000)
        let (octave, slot) = Self.position(of: nanoseconds)
        if recorded <= Self.earlySamples {
            keepEarly(bucket: octave << Self.subBucketBits | slot)
            return
        }
        if recorded == Self.earlySamples + 1 { countEarlySamples() }
        add(1, octave: octave, slot: slot)
    }

    /// Keeps an early sample's bucket (a bucket number is below 2¹⁶: 58 octaves of 128).
    @usableFromInline
    mutating func keepEarly(bucket: Int) {
        if early.capacity == 0 { early.reserveCapacity(Int(Self.earlySamples)) }
        early.append(UInt16(truncatingIfNeeded: bucket))
    }

    /// Counts the early samples into the pages.
    @usableFromInline
    mutating func countEarlySamples() {
        let buckets = early
        early = []
        for bucket in buckets {
            add(1, octave: Int(bucket) >> Self.subBucketBits, slot: Int(bucket) & (Self.subBuckets - 1))
        }
    }

    @inlinable
    mutating func add(_ number: UInt64, octave: Int, slot: Int) {
        let bucket = octave << Self.subBucketBits | slot
        let page = UInt16(truncatingIfNeeded: bucket >> Self.pageBits)
        if lastPage >= pages.count || pages[lastPage] != page { lastPage = position(ofPage: page) }
        let offset = lastPage << Self.pageBits | bucket & (Self.pageSize - 1)
        let (low, carried) = counts[offset].addingReportingOverflow(UInt16(truncatingIfNeeded: number))
        counts[offset] = low
        let high = number >> 16 &+ (carried ? 1 : 0)
        if high > 0 { overflows[bucket, default: 0] &+= high << 16 }
    }

    /// The position of `page` in `pages`, stored empty where it is missing. Storage grows by a
    /// quarter at a time (doubling would leave up to half of it unused, per histogram).
    @usableFromInline
    mutating func position(ofPage page: UInt16) -> Int {
        var low = 0
        var high = pages.count
        while low < high {
            let middle = (low + high) / 2
            if pages[middle] < page { low = middle + 1 } else { high = middle }
        }
        if low < pages.count, pages[low] == page { return low }
        if pages.count == pages.capacity { pages.reserveCapacity(pages.count + max(1, pages.count / 4)) }
        if counts.capacity - counts.count < Self.pageSize {
            counts.reserveCapacity(counts.count + max(Self.pageSize, counts.count / 4))
        }
        pages.insert(page, at: low)
        counts.insert(contentsOf: repeatElement(0, count: Self.pageSize), at: low << Self.pageBits)
        return low
    }

    /// Calls `body` with each stored bucket (`octave × 128 + slot`) and its count, lowest bucket
    /// first, until it returns false.
    func forEachBucket(_ body: (_ bucket: Int, _ count: UInt64) -> Bool) {
        guard early.isEmpty else {
            var counted = self
            counted.countEarlySamples()
            counted.forEachBucket(body)
            return
        }
        for (index, page) in pages.enumerated() {
            for slot in 0..<Self.pageSize {
                let bucket = Int(page) << Self.pageBits | slot
                let low = UInt64(counts[index << Self.pageBits | slot])
                let number = overflows.isEmpty ? low : low + overflows[bucket, default: 0]
                if !body(bucket, number) { return }
            }
        }
    }

    /// The highest value (ns) in `bucket`, never above the exact maximum.
    func upperEdge(ofBucket bucket: Int) -> UInt64 {
        let edge = Self.upperEdge(octave: bucket >> Self.subBucketBits, slot: bucket & (Self.subBuckets - 1))
        return min(edge, UInt64(maximumPicoseconds / 1000))
    }

    /// Octave and sub-bucket of a value in nanoseconds: octave 0 holds 0..<128 exactly; octave
    /// k ≥ 1 holds values of bit length k + 7, in 128 slots of width 2^(k−1).
    @inlinable
    static func position(of value: UInt64) -> (Int, Int) {
        guard value >= UInt64(subBuckets) else { return (0, Int(value)) }
        let shift = (64 - value.leadingZeroBitCount) - (subBucketBits + 1)
        return (shift + 1, Int(value >> UInt64(shift)) - subBuckets)
    }

    /// The highest value (ns) that lands in a given bucket.
    static func upperEdge(octave: Int, slot: Int) -> UInt64 {
        guard octave > 0 else { return UInt64(slot) }
        let shift = UInt64(octave - 1)
        return ((UInt64(slot + subBuckets) + 1) << shift) - 1
    }

    /// Merges another histogram's samples into this one.
    public mutating func merge(_ other: LatencyHistogram) {
        // Counted first: what is recorded after the merge counts into the pages from the first.
        countEarlySamples()
        other.forEachBucket { bucket, number in
            if number > 0 { add(number, octave: bucket >> Self.subBucketBits, slot: bucket & (Self.subBuckets - 1)) }
            return true
        }
        recorded += other.recorded
        sum += other.sum
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
    }

    /// The non-empty buckets in increasing order: each one's highest value in nanoseconds (never
    /// above the exact maximum) and how many samples it holds. Enough to draw the distribution.
    public var buckets: [(upperEdgeNanoseconds: UInt64, count: UInt64)] {
        var result: [(upperEdgeNanoseconds: UInt64, count: UInt64)] = []
        forEachBucket { bucket, number in
            if number > 0 { result.append((upperEdge(ofBucket: bucket), number)) }
            return true
        }
        return result
    }

    /// Mean in nanoseconds (0 when empty).
    public var meanNanoseconds: Double { count == 0 ? 0 : sumPicoseconds / Double(count) / 1000 }

    /// The smallest bucket edge (ns) at or below which `percentile` % of samples lie, never above
    /// the exact maximum; 0 when empty.
    public func valueAtPercentile(_ percentile: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = (percentile / 100 * Double(count)).rounded(.up)
        let wanted = rank >= Double(count) ? count : max(1, UInt64(exactly: rank) ?? 1)
        var seen: UInt64 = 0
        var found: UInt64?
        forEachBucket { bucket, number in
            seen += number
            if number > 0, seen >= wanted { found = upperEdge(ofBucket: bucket) }
            return found == nil
        }
        if let found { return found }
        return UInt64(maximumPicoseconds / 1000)
    }
}
