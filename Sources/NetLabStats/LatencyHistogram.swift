/// A log-linear histogram of latencies, in the manner of HdrHistogram (Tene): each power of two is
/// split into 128 equal sub-buckets, so any percentile is reported within 0.8% of the true sample,
/// in memory that grows with the range of values seen, not with their number.
///
/// Mean, minimum and maximum are kept exactly (in picoseconds). Recording allocates only the first
/// time a value lands in a new power of two; steady state allocates nothing.
public struct LatencyHistogram: Sendable {
    static let subBucketBits = 7
    static let subBuckets = 1 << subBucketBits

    /// Counts per octave, created on first use. Octave 0 holds values 0..<128 exactly.
    private var octaves: [[UInt64]?] = Array(repeating: nil, count: 64)
    public private(set) var count: UInt64 = 0
    /// Sum of recorded picoseconds (as a Double; exact to 2^53 ps ≈ 2.5 hours summed).
    public private(set) var sumPicoseconds: Double = 0
    public private(set) var minimumPicoseconds: Int64 = .max
    public private(set) var maximumPicoseconds: Int64 = 0

    public init() {}

    /// Records one latency. Negative values are clamped to zero.
    public mutating func record(picoseconds value: Int64) {
        let clamped = max(value, 0)
        count += 1
        sumPicoseconds += Double(clamped)
        minimumPicoseconds = min(minimumPicoseconds, clamped)
        maximumPicoseconds = max(maximumPicoseconds, clamped)
        let nanoseconds = UInt64(clamped / 1000)
        let (octave, slot) = Self.position(of: nanoseconds)
        if octaves[octave] == nil { octaves[octave] = Array(repeating: 0, count: Self.subBuckets) }
        octaves[octave]![slot] += 1
    }

    /// Octave and sub-bucket of a value in nanoseconds: octave 0 holds 0..<128 exactly; octave
    /// k ≥ 1 holds values of bit length k + 7, in 128 slots of width 2^(k−1).
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
        for octave in 0..<64 {
            guard let theirs = other.octaves[octave] else { continue }
            if octaves[octave] == nil { octaves[octave] = Array(repeating: 0, count: Self.subBuckets) }
            for slot in 0..<Self.subBuckets { octaves[octave]![slot] += theirs[slot] }
        }
        count += other.count
        sumPicoseconds += other.sumPicoseconds
        minimumPicoseconds = min(minimumPicoseconds, other.minimumPicoseconds)
        maximumPicoseconds = max(maximumPicoseconds, other.maximumPicoseconds)
    }

    /// Mean in nanoseconds (0 when empty).
    public var meanNanoseconds: Double { count == 0 ? 0 : sumPicoseconds / Double(count) / 1000 }

    /// The smallest bucket edge (ns) at or below which `percentile` % of samples lie, never above
    /// the exact maximum; 0 when empty.
    public func valueAtPercentile(_ percentile: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let wanted = max(1, UInt64((percentile / 100 * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for octave in 0..<64 {
            guard let counts = octaves[octave] else { continue }
            for slot in 0..<Self.subBuckets where counts[slot] > 0 {
                seen += counts[slot]
                if seen >= wanted {
                    return min(Self.upperEdge(octave: octave, slot: slot), UInt64(maximumPicoseconds / 1000))
                }
            }
        }
        return UInt64(maximumPicoseconds / 1000)
    }
}
