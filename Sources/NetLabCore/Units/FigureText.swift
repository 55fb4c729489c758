/// How netlab writes figures for people, one style in every table and sentence: a duration or a
/// rate picks its unit by its size (ns, us, ms, s; bps, kbps, Mbps, Gbps), with two decimals
/// below 10 of that unit and one above (nanoseconds whole); an interval is the mean and the
/// half-width in the mean's unit, the half-width to two significant digits, so that an interval
/// takes little room and shows no more digits than it supports.
public enum FigureText {
    public struct Unit: Sendable {
        public var scale: Double
        public var name: String
    }

    public static func durationUnit(nanoseconds: Double) -> Unit {
        let magnitude = abs(nanoseconds)
        if magnitude >= 999.95e6 { return Unit(scale: 1e9, name: "s") }
        if magnitude >= 999.95e3 { return Unit(scale: 1e6, name: "ms") }
        if magnitude >= 999.5 { return Unit(scale: 1e3, name: "us") }
        return Unit(scale: 1, name: "ns")
    }

    public static func rateUnit(bitsPerSecond: Double) -> Unit {
        let magnitude = abs(bitsPerSecond)
        if magnitude >= 999.95e6 { return Unit(scale: 1e9, name: "Gbps") }
        if magnitude >= 999.95e3 { return Unit(scale: 1e6, name: "Mbps") }
        if magnitude >= 999.95 { return Unit(scale: 1e3, name: "kbps") }
        return Unit(scale: 1, name: "bps")
    }

    /// `value` in `unit` without the unit's name: whole in the smallest unit, else two
    /// decimals under 10 and one above.
    public static func number(_ value: Double, in unit: Unit) -> String {
        fixed(value / unit.scale, decimals(value, in: unit))
    }

    static func decimals(_ value: Double, in unit: Unit) -> Int {
        unit.scale == 1 ? 0 : abs(value / unit.scale) < 9.995 ? 2 : 1
    }

    public static func duration(nanoseconds: Double) -> String {
        let unit = durationUnit(nanoseconds: nanoseconds)
        return number(nanoseconds, in: unit) + unit.name
    }

    /// A share as a percentage with `decimals` digits after the point ("12.3%"); `signed` writes a
    /// "+" before a share of 0 or more (a change, an error). Infinite shares are "∞".
    public static func percent(_ fraction: Double, decimals: Int = 1, signed: Bool = false) -> String {
        guard !fraction.isInfinite else { return fraction > 0 ? "∞" : "-∞" }
        return (signed && fraction >= 0 ? "+" : "") + fixed(fraction * 100, decimals) + "%"
    }

    public static func rate(bitsPerSecond: Double) -> String {
        let unit = rateUnit(bitsPerSecond: bitsPerSecond)
        return number(bitsPerSecond, in: unit) + unit.name
    }

    /// "460 ± 28us": a duration interval in the mean's unit.
    public static func interval(nanoseconds mean: Double, halfWidth: Double) -> String {
        interval(mean, halfWidth, unit: durationUnit(nanoseconds: max(abs(mean), halfWidth)))
    }

    /// "97.0 ± 2.4Mbps": a rate interval in the mean's unit.
    public static func interval(bitsPerSecond mean: Double, halfWidth: Double) -> String {
        interval(mean, halfWidth, unit: rateUnit(bitsPerSecond: max(abs(mean), halfWidth)))
    }

    /// The half-width to two significant digits, the mean to the same last digit (no more
    /// decimals than it shows on its own): an interval shows only the digits it supports.
    static func interval(_ mean: Double, _ halfWidth: Double, unit: Unit) -> String {
        let half = halfWidth / unit.scale
        let places = half > 0 ? min(decimals(mean, in: unit), significantDecimals(half)) : decimals(mean, in: unit)
        return "\(fixed(mean / unit.scale, places)) ± \(fixed(half, places))\(unit.name)"
    }

    /// `value` with `decimals` digits after the point.
    /// Values too large for that (beyond 10¹⁵ after scaling) and non-finite ones are written
    /// as Swift writes a Double (`1e+300`, `inf`): a report never traps on a figure read from a file.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        guard value.isFinite, abs(value * scale) < 1e15 else { return "\(value)" }
        let scaled = (value * scale).rounded()
        let whole = Int64(saturating: scaled / scale)
        guard decimals > 0 else { return "\(whole)" }
        let fraction = Int64(saturating: abs(scaled)) % Int64(saturating: scale)
        let digits = String(fraction)
        let sign = scaled < 0 && whole == 0 ? "-" : ""
        return "\(sign)\(whole).\(String(repeating: "0", count: decimals - digits.count))\(digits)"
    }

    /// The decimals that show `value` to two significant digits (0 for 10 and above).
    static func significantDecimals(_ value: Double) -> Int {
        guard value.isFinite, value > 0 else { return 0 }
        var decimals = 0
        var bound = 9.95
        while value < bound, decimals < 6 {
            decimals += 1
            bound /= 10
        }
        return decimals
    }
}
