/// The two ways netlab turns a floating-point figure into an integer. Swift's `Int64(x)` traps
/// when `x` is NaN, infinite or out of range, and a figure derived from input (a rate times a
/// duration, a measurement, a scaled capture time) can be any of those; a trap is a crash with a
/// backtrace instead of a located error. So Sources never convert a Double with the plain
/// initializer outside this file (`.ci/lint-float-conversions` fails on one): a caller that can report the value
/// asks with `init?(checking:)`; a caller whose value is bounded already, or only shown, uses
/// `init(saturating:)`, which cannot trap.
extension FixedWidthInteger {
    /// `value` truncated toward zero, as `Int64(value)` would, or nil when it is not finite or
    /// does not fit in this type.
    @inlinable
    public init?(checking value: Double) {
        self.init(exactly: value.rounded(.towardZero))
    }

    /// `value` truncated toward zero, as `Int64(value)` would, held to this type's range: beyond
    /// it the nearest bound, and NaN as zero. Cheap enough for the per-packet path: two
    /// comparisons and the machine's own conversion.
    @inlinable @inline(__always)
    public init(saturating value: Double) {
        if value >= Double(Self.max) {
            self = .max
        } else if value <= Double(Self.min) {
            self = .min
        } else if value.isNaN {
            self = 0
        } else if Self.isSigned || Self.bitWidth < 64 {
            // Within this type's range, so within Int64's; the concrete conversion is one
            // instruction where the generic one is a loop over the bits.
            self.init(truncatingIfNeeded: Int64(value))
        } else {
            self.init(truncatingIfNeeded: UInt64(value))
        }
    }
}
