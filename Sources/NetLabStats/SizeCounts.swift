/// Exact counts of sizes (frames, messages): one counter per size up to 65535 bytes, one for
/// anything larger, so percentiles are exact rather than bucketed.
public struct SizeCounts: Sendable {
    @usableFromInline var counts: [UInt64] = []
    @usableFromInline var recorded: UInt64 = 0
    @usableFromInline var largest = 0
    /// Sizes recorded.
    public var count: UInt64 { recorded }
    /// The largest size recorded (0 when empty).
    public var maximum: Int { largest }

    public init() {}

    /// Counts one size. Inlinable: `inspect` calls it once per packet.
    @inlinable
    public mutating func record(_ size: Int) {
        if counts.isEmpty { counts = Array(repeating: 0, count: 65_537) }
        counts[min(max(size, 0), 65_536)] += 1
        recorded += 1
        largest = max(largest, size)
    }

    /// The smallest size at or below which `percentile` % of frames lie (0 when empty).
    public func valueAtPercentile(_ percentile: Double) -> Int {
        guard count > 0 else { return 0 }
        let rank = (percentile / 100 * Double(count)).rounded(.up)
        let wanted = rank >= Double(count) ? count : max(1, UInt64(exactly: rank) ?? 1)
        var seen: UInt64 = 0
        for (size, number) in counts.enumerated() where number > 0 {
            seen += number
            if seen >= wanted { return size == 65_536 ? maximum : size }
        }
        return maximum
    }
}
