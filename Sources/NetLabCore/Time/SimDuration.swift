/// A span of simulated time: an integer count of picoseconds.
///
/// Kept distinct from ``SimTime`` so that adding two instants, or passing an instant where a delay
/// is meant, does not compile. Arithmetic traps on overflow.
public struct SimDuration: Hashable, Comparable, Sendable {
    /// The length of the span in picoseconds.
    public var picoseconds: Int64

    @inlinable
    public init(picoseconds: Int64) {
        self.picoseconds = picoseconds
    }

    public static let zero = SimDuration(picoseconds: 0)

    /// Picoseconds in one of each unit, for building durations in code.
    public static let picosecondsPerNanosecond: Int64 = 1_000
    public static let picosecondsPerMicrosecond: Int64 = 1_000_000
    public static let picosecondsPerMillisecond: Int64 = 1_000_000_000
    public static let picosecondsPerSecond: Int64 = 1_000_000_000_000

    @inlinable public static func picoseconds(_ value: Int64) -> SimDuration { SimDuration(picoseconds: value) }
    @inlinable public static func nanoseconds(_ value: Int64) -> SimDuration { SimDuration(picoseconds: value * 1_000) }
    @inlinable public static func microseconds(_ value: Int64) -> SimDuration {
        SimDuration(picoseconds: value * 1_000_000)
    }
    @inlinable public static func milliseconds(_ value: Int64) -> SimDuration {
        SimDuration(picoseconds: value * 1_000_000_000)
    }
    @inlinable public static func seconds(_ value: Int64) -> SimDuration {
        SimDuration(picoseconds: value * 1_000_000_000_000)
    }

    /// The duration nearest to `seconds`, for values computed in floating point (a sampled delay,
    /// say). Each conversion rounds once; time itself is never accumulated in floating point.
    /// - Precondition: `seconds` is finite and within ±106 days.
    @inlinable
    public init(roundingSeconds seconds: Double) {
        let picoseconds = (seconds * 1e12).rounded()
        precondition(picoseconds.isFinite && abs(picoseconds) < 9.2e18, "duration out of range: \(seconds) s")
        self.picoseconds = Int64(saturating: picoseconds)
    }

    /// The span in (fractional) nanoseconds, for reporting.
    @inlinable public var nanoseconds: Double { Double(picoseconds) / 1e3 }

    /// The span in (fractional) seconds, for reporting and rate computations.
    @inlinable public var seconds: Double { Double(picoseconds) / 1e12 }

    @inlinable
    public static func < (lhs: SimDuration, rhs: SimDuration) -> Bool { lhs.picoseconds < rhs.picoseconds }
    @inlinable
    public static func + (lhs: SimDuration, rhs: SimDuration) -> SimDuration {
        SimDuration(picoseconds: lhs.picoseconds + rhs.picoseconds)
    }
    @inlinable
    public static func - (lhs: SimDuration, rhs: SimDuration) -> SimDuration {
        SimDuration(picoseconds: lhs.picoseconds - rhs.picoseconds)
    }
    @inlinable
    public static func * (lhs: SimDuration, rhs: Int64) -> SimDuration {
        SimDuration(picoseconds: lhs.picoseconds * rhs)
    }
    @inlinable
    public static func += (lhs: inout SimDuration, rhs: SimDuration) { lhs = lhs + rhs }
}
