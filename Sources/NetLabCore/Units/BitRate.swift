/// A link or NIC rate in whole bits per second.
public struct BitRate: Hashable, Comparable, Sendable {
    public var bitsPerSecond: Int64

    @inlinable
    public init(bitsPerSecond: Int64) { self.bitsPerSecond = bitsPerSecond }

    @inlinable
    public static func < (lhs: BitRate, rhs: BitRate) -> Bool { lhs.bitsPerSecond < rhs.bitsPerSecond }

    static let textUnits: [(name: String, scale: Int64)] = [
        ("bps", 1), ("Kbps", 1_000), ("kbps", 1_000), ("Mbps", 1_000_000), ("Gbps", 1_000_000_000),
        ("Tbps", 1_000_000_000_000),
    ]

    /// Parses a rate such as `25Gbps`, `100Mbps` or `1.5Gbps` (units `bps`, `Kbps`, `Mbps`, `Gbps`,
    /// `Tbps`; powers of 1000, as network rates are quoted).
    /// - Throws: ``UnitParseError`` naming the input and the accepted forms.
    public init(parsing text: String) throws(UnitParseError) {
        let value = try QuantityParser.parseExact(
            text, quantity: "a bit rate", units: Self.textUnits,
            examples: "100Mbps, 10Gbps, 25Gbps", smallestUnit: "1bps")
        self.init(bitsPerSecond: value)
    }

    /// The time to put `bytes` on a wire at this rate, rounded to the nearest picosecond.
    /// Exact for any size up to 2^63 bytes: the product is formed in 128 bits.
    /// - Precondition: the rate is positive.
    @inlinable
    public func serializationTime(of bytes: Int64) -> SimDuration {
        precondition(bitsPerSecond > 0, "serialisation at a zero rate")
        let numerator = UInt64(bytes).multipliedFullWidth(by: 8_000_000_000_000)
        let rate = UInt64(bitsPerSecond)
        let (quotient, remainder) = rate.dividingFullWidth(numerator)
        return SimDuration(picoseconds: Int64(quotient + (remainder * 2 >= rate ? 1 : 0)))
    }
}

extension BitRate: CustomStringConvertible {
    public var description: String {
        let magnitude = bitsPerSecond.magnitude
        for (name, scale) in [
            ("Tbps", UInt64(1_000_000_000_000)), ("Gbps", 1_000_000_000), ("Mbps", 1_000_000), ("kbps", 1_000),
        ]
        where magnitude >= scale {
            return DecimalText.format(magnitude, scale: scale, maxFractionDigits: 3) + name
        }
        return String(magnitude) + "bps"
    }
}
