/// A log-linear histogram of latencies, in the manner of HdrHistogram (Tene): each power of two is
/// split into 128 equal sub-buckets, so any percentile is reported within 0.8% of the true sample,
/// in memory that grows with the range of values seen, not with their number (a flow whose
/// latencies stay within a few percent of each other keeps a few dozen buckets, not whole octaves).
///
/// Mean, minimum and maximum are kept exactly (in picoseconds). Recording allocates only when a
/// value lands outside the buckets kept so far (each growth adds headroom); steady state
/// allocates nothing.
public struct LatencyHistogram: Sendable {
    @usableFromInline static let subBucketBits = 7
    @usableFromInline static let subBuckets = 1 << subBucketBits

    /// Counts of buckets `lowestBucket ..< lowestBucket + counts.count`, bucket `octave × 128 +
    /// slot`, in one array that grows (rarely, with headroom) to cover new buckets at either end.
    /// Octave 0 holds 0..<128. Each count keeps its low 32 bits here (half the memory of 64-bit
    /// counts, for the hundreds of thousands of histograms a cluster keeps) and anything above in
    /// `overflows`.
    @usableFromInline var counts: [UInt32] = []
    /// Multiples of 2³² by bucket, for the buckets whose count passed 4,294,967,295 (none, in
    /// nearly every run).
    @usableFromInline var overflows: [Int: UInt64] = [:]
    @usableFromInline var lowestBucket = 0
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
        add(1, octave: octave, slot: slot)
    }

    @inlinable
    mutating func add(_ number: UInt64, octave: Int, slot: Int) {
        let bucket = octave << Self.subBucketBits | slot
        var offset = bucket - lowestBucket
        if offset < 0 || offset >= counts.count { offset = makeRoom(for: bucket) }
        let (low, carried) = counts[offset].addingReportingOverflow(UInt32(truncatingIfNeeded: number))
        counts[offset] = low
        let high = number >> 32 &+ (carried ? 1 : 0)
        if high > 0 { overflows[bucket, default: 0] &+= high << 32 }
    }

    /// The samples in the bucket at `offset` in `counts`.
    @inline(__always)
    func count(atOffset offset: Int) -> UInt64 {
        let low = UInt64(counts[offset])
        return overflows.isEmpty ? low : low + overflows[lowestBucket + offset, default: 0]
    }

    /// Grows the buckets kept to include `bucket`, with headroom on the side it grew (half the
    /// span kept, at least 8 buckets), so that a flow's range is covered after a few growths;
    /// returns `bucket`'s offset.
    @usableFromInline
    mutating func makeRoom(for bucket: Int) -> Int {
        guard !counts.isEmpty else {
            lowestBucket = max(0, bucket - 8)
            counts = Array(repeating: 0, count: 16)
            return bucket - lowestBucket
        }
        let headroom = max(8, counts.count / 2)
        if bucket < lowestBucket {
            let newLowest = max(0, bucket - headroom)
            counts = Array(repeating: 0, count: lowestBucket - newLowest) + counts
            lowestBucket = newLowest
        } else {
            counts += Array(repeating: 0, count: bucket - lowestBucket - counts.count + 1 + headroom)
        }
        return bucket - lowestBucket
    }

    /// The octave and slot of the bucket at `offset` in `counts`.
    @inline(__always)
    func position(ofOffset offset: Int) -> (octave: Int, slot: Int) {
        let bucket = lowestBucket + offset
        return (bucket >> Self.subBucketBits, bucket & (Self.subBuckets - 1))
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
        for index in other.counts.indices {
            let number = other.count(atOffset: index)
            guard number > 0 else { continue }
            let (octave, slot) = other.position(ofOffset: index)
            add(number, octave: octave, slot: slot)
        }
        recorded += other.recorded
        sum += other.sum
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
    }

    /// The non-empty buckets in increasing order: each one's highest value in nanoseconds (never
    /// above the exact maximum) and how many samples it holds. Enough to draw the distribution.
    public var buckets: [(upperEdgeNanoseconds: UInt64, count: UInt64)] {
        counts.indices.filter { count(atOffset: $0) > 0 }.map { index in
            let (octave, slot) = position(ofOffset: index)
            let edge = Self.upperEdge(octave: octave, slot: slot)
            return (min(edge, UInt64(maximumPicoseconds / 1000)), count(atOffset: index))
        }
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
        for index in counts.indices {
            let number = count(atOffset: index)
            guard number > 0 else { continue }
            seen += number
            if seen >= wanted {
                let (octave, slot) = position(ofOffset: index)
                return min(Self.upperEdge(octave: octave, slot: slot), UInt64(maximumPicoseconds / 1000))
            }
        }
        return UInt64(maximumPicoseconds / 1000)
    }
}
