import NetLabCore

/// Where a flow's latency went: the stages of every message summed, overall and by latency band,
/// so that the mean breakdown and the breakdown of the slowest messages (the tail) can both be
/// read at the end.
///
/// Bands are a quarter octave wide (each about 19% above the last), and only bands that hold
/// messages are kept: a flow's messages fall in a dozen bands or so, and a rare outlier far above
/// them (a retransmission timeout, 10,000 times the usual latency) adds one band, not the fifty
/// between. The tail is every message in the band holding the flow's p99 and above, so it starts
/// at most 19% below the p99 (``Tail/from`` says where).
public struct LatencyBreakdown: Sendable {
    /// How many messages were recorded.
    public private(set) var messages: Int64 = 0
    /// Their latencies, summed as recorded (equal to `total.total` when every message's stages
    /// add up to its latency, as they must).
    public private(set) var latencyTotal: Int64 = 0
    /// The bands that hold messages, in increasing order of band number.
    private var bands = ContiguousArray<Band>()

    /// One band's messages: their stages summed, and how many (together, so that recording a
    /// message touches one record).
    private struct Band {
        var number: Int
        var stages = StageTimes()
        var count: Int64 = 0
    }

    static let bandsPerOctave = 4

    /// How many bands are kept (each holds at least one message).
    var keptBands: Int { bands.count }

    public init() {}

    /// Adds one message of `latency` picoseconds, spent as `stages` says.
    @inline(__always)
    public mutating func record(latency: Int64, stages: borrowing StageTimes) {
        messages += 1
        latencyTotal &+= latency
        let index = index(ofBand: Self.band(of: latency))
        bands[index].stages.add(stages)
        bands[index].count += 1
    }

    /// The position in `bands` of `band`, added (empty) where it is missing: allocates only for a
    /// band not seen before.
    @inline(__always)
    private mutating func index(ofBand band: Int) -> Int {
        let index = firstIndex(atOrAbove: band)
        if index < bands.count, bands[index].number == band { return index }
        return insertBand(band, at: index)
    }

    /// The position of the first kept band numbered `band` or above (`bands.count` if none).
    private func firstIndex(atOrAbove band: Int) -> Int {
        var low = 0
        var high = bands.count
        while low < high {
            let middle = (low + high) / 2
            if bands[middle].number < band { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Inserts an empty `band` at `index`, growing the storage one band at a time: a flow keeps
    /// a dozen or so, each 128 bytes, and a cluster keeps a breakdown per flow, so room held in
    /// advance would cost more than the copies (one per band, the first time it is seen).
    @inline(never)
    private mutating func insertBand(_ band: Int, at index: Int) -> Int {
        if bands.count == bands.capacity { bands.reserveCapacity(bands.count + 1) }
        bands.insert(Band(number: band), at: index)
        return index
    }

    /// Adds every message of `other`.
    public mutating func merge(_ other: LatencyBreakdown) {
        messages += other.messages
        latencyTotal &+= other.latencyTotal
        for band in other.bands {
            let index = index(ofBand: band.number)
            bands[index].stages.add(band.stages)
            bands[index].count += band.count
        }
    }

    /// Every recorded message's stages, summed.
    public var total: StageTimes {
        var sum = StageTimes()
        for band in bands { sum.add(band.stages) }
        return sum
    }

    /// The mean picoseconds per message in each stage (zeros when nothing was recorded).
    public var mean: [Stage: Double] { Self.means(of: total, over: messages) }

    /// The messages at the slow end: those in the band of `latency` (the p99) and above.
    public struct Tail: Sendable {
        /// The band's lower edge: every message at least this slow is in the tail.
        public var from: SimDuration
        public var messages: Int64
        /// Mean picoseconds per tail message in each stage.
        public var mean: [Stage: Double]
    }

    /// The tail from the band holding `latency` up, or nil when no message was recorded.
    public func tail(from latency: SimDuration) -> Tail? {
        guard messages > 0, let lowest = bands.first?.number, let highest = bands.last?.number else { return nil }
        let first = min(max(Self.band(of: latency.picoseconds), lowest), highest)
        var sum = StageTimes()
        var count: Int64 = 0
        for band in bands[firstIndex(atOrAbove: first)...] {
            sum.add(band.stages)
            count += band.count
        }
        return Tail(
            from: SimDuration(picoseconds: Self.lowerEdge(of: first)), messages: count,
            mean: Self.means(of: sum, over: count))
    }

    static func means(of sum: StageTimes, over count: Int64) -> [Stage: Double] {
        var result: [Stage: Double] = [:]
        for stage in Stage.allCases { result[stage] = count == 0 ? 0 : Double(sum[stage]) / Double(count) }
        return result
    }

    /// The quarter-octave band of `picoseconds`: 4 × the octave plus the two bits after the
    /// leading one (values below 4 ps share the lowest bands).
    @inline(__always)
    static func band(of picoseconds: Int64) -> Int {
        let value = UInt64(max(picoseconds, 1))
        let octave = 63 - value.leadingZeroBitCount
        let quarter = octave >= 2 ? Int((value >> UInt64(octave - 2)) & 3) : 0
        return octave * bandsPerOctave + quarter
    }

    /// The smallest latency in `band`, in picoseconds.
    static func lowerEdge(of band: Int) -> Int64 {
        let octave = band / bandsPerOctave
        let quarter = band % bandsPerOctave
        guard octave >= 2 else { return Int64(1) << Int64(octave) }
        return (Int64(4 + quarter)) << Int64(octave - 2)
    }
}
