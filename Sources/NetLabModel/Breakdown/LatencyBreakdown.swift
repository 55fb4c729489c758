import NetLabCore

/// Where a flow's latency went: the stages of every message summed, overall and by latency band,
/// so that the mean breakdown and the breakdown of the slowest messages (the tail) can both be
/// read at the end.
///
/// Bands are a quarter octave wide (each about 19% above the last), kept from the fastest to the
/// slowest band seen; the tail is every message in the band holding the flow's p99 and above, so
/// it starts at most 19% below the p99 (``Tail/from`` says where).
public struct LatencyBreakdown: Sendable {
    /// How many messages were recorded.
    public private(set) var messages: Int64 = 0
    /// Their latencies, summed as recorded (equal to `total.total` when every message's stages
    /// add up to its latency, as they must).
    public private(set) var latencyTotal: Int64 = 0
    private var bands = ContiguousArray<Band>()
    private var lowestBand = 0

    /// One band's messages: their stages summed, and how many (together, so that recording a
    /// message touches one record).
    private struct Band {
        var stages = StageTimes()
        var count: Int64 = 0
    }

    static let bandsPerOctave = 4

    public init() {}

    /// Adds one message of `latency` picoseconds, spent as `stages` says.
    @inline(__always)
    public mutating func record(latency: Int64, stages: borrowing StageTimes) {
        messages += 1
        latencyTotal &+= latency
        let band = Self.band(of: latency)
        var offset = band - lowestBand
        if offset < 0 || offset >= bands.count { offset = makeRoom(for: band) }
        bands[offset].stages.add(stages)
        bands[offset].count += 1
    }

    /// Grows the bands kept to include `band` and returns its offset (rare: once per band seen).
    @inline(never)
    private mutating func makeRoom(for band: Int) -> Int {
        if bands.isEmpty {
            lowestBand = band
        } else if band < lowestBand {
            let missing = lowestBand - band
            bands.insert(contentsOf: repeatElement(Band(), count: missing), at: 0)
            lowestBand = band
        }
        let offset = band - lowestBand
        if offset >= bands.count {
            let missing = offset - bands.count + 1
            bands.append(contentsOf: repeatElement(Band(), count: missing))
        }
        return offset
    }

    /// Adds every message of `other`.
    public mutating func merge(_ other: LatencyBreakdown) {
        guard !other.bands.isEmpty else { return }
        latencyTotal &+= other.latencyTotal
        for offset in other.bands.indices where other.bands[offset].count > 0 {
            // Replays a band as one message at its lower edge with the band's summed stages:
            // lands in the same band, and sums are what a band keeps.
            let band = other.lowestBand + offset
            record(latency: Self.lowerEdge(of: band), stages: other.bands[offset].stages)
            latencyTotal &-= Self.lowerEdge(of: band)
            messages += other.bands[offset].count - 1
            bands[band - lowestBand].count += other.bands[offset].count - 1
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
        guard messages > 0 else { return nil }
        let first = max(0, min(Self.band(of: latency.picoseconds) - lowestBand, bands.count - 1))
        var sum = StageTimes()
        var count: Int64 = 0
        for offset in first..<bands.count {
            sum.add(bands[offset].stages)
            count += bands[offset].count
        }
        return Tail(
            from: SimDuration(picoseconds: Self.lowerEdge(of: lowestBand + first)), messages: count,
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
