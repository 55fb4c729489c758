/// How often something happens: arrivals or messages per second. Need not be whole (`0.5/s`).
public struct EventRate: Hashable, Comparable, Sendable {
    public var perSecond: Double

    @inlinable
    public init(perSecond: Double) { self.perSecond = perSecond }

    @inlinable
    public static func < (lhs: EventRate, rhs: EventRate) -> Bool { lhs.perSecond < rhs.perSecond }

    static let textUnits: [(name: String, factor: Double)] = [
        ("/s", 1), ("/ms", 1e3), ("/us", 1e6), ("/µs", 1e6), ("Hz", 1), ("kHz", 1e3), ("MHz", 1e6),
    ]

    /// Parses a rate such as `20000/s`, `20/ms`, `2e6/s` or `50kHz`.
    /// - Throws: ``UnitParseError`` naming the input and the accepted forms.
    public init(parsing text: String) throws(UnitParseError) {
        let value = try QuantityParser.parseApproximate(
            text, quantity: "an event rate", units: Self.textUnits, examples: "20000/s, 20/ms, 50kHz")
        self.init(perSecond: value)
    }

    /// The mean time between events, rounded to the nearest picosecond.
    /// - Precondition: the rate is positive.
    public var meanInterval: SimDuration {
        precondition(perSecond > 0, "mean interval of a zero rate")
        return SimDuration(roundingSeconds: 1 / perSecond)
    }
}

extension EventRate: CustomStringConvertible {
    public var description: String {
        perSecond == perSecond.rounded() && perSecond < 1e15 ? "\(Int64(saturating: perSecond))/s" : "\(perSecond)/s"
    }
}
