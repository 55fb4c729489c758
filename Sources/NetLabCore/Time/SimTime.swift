/// An instant of simulated time: an integer count of picoseconds since the start of the simulation.
///
/// Picoseconds because one byte at 100 Gb/s takes 80 ps: nanoseconds would round serialisation
/// times, and floating point would accumulate error over millions of events. `Int64` picoseconds
/// span ±106 days. Arithmetic traps on overflow (Swift's checked `+` and `-`), because a wrapped
/// clock would silently reorder events; no realistic run comes near the limit.
public struct SimTime: Hashable, Comparable, Sendable {
    /// Picoseconds since the start of the simulation.
    public var picoseconds: Int64

    @inlinable
    public init(picoseconds: Int64) {
        self.picoseconds = picoseconds
    }

    /// The start of every simulation.
    public static let zero = SimTime(picoseconds: 0)

    /// The latest representable instant; useful as "no limit".
    public static let distantFuture = SimTime(picoseconds: .max)

    @inlinable
    public static func < (lhs: SimTime, rhs: SimTime) -> Bool {
        lhs.picoseconds < rhs.picoseconds
    }

    /// The instant `duration` after `instant`. Traps on overflow.
    @inlinable
    public static func + (instant: SimTime, duration: SimDuration) -> SimTime {
        SimTime(picoseconds: instant.picoseconds + duration.picoseconds)
    }

    /// The instant `duration` before `instant`. Traps on overflow.
    @inlinable
    public static func - (instant: SimTime, duration: SimDuration) -> SimTime {
        SimTime(picoseconds: instant.picoseconds - duration.picoseconds)
    }

    /// The time elapsed from `earlier` to `later` (negative if `later` is earlier).
    @inlinable
    public static func - (later: SimTime, earlier: SimTime) -> SimDuration {
        SimDuration(picoseconds: later.picoseconds - earlier.picoseconds)
    }

    @inlinable
    public static func += (instant: inout SimTime, duration: SimDuration) {
        instant = instant + duration
    }

    /// The time since the start of the simulation, as a duration.
    @inlinable
    public var sinceStart: SimDuration { SimDuration(picoseconds: picoseconds) }
}

extension SimTime: CustomStringConvertible {
    /// Time since start in the most readable unit, e.g. `t+1.5ms`.
    public var description: String { "t+\(sinceStart)" }
}
