extension SimDuration: CustomStringConvertible {
    /// The duration in the largest unit that keeps it at or above 1, with at most three decimals:
    /// `250ns`, `1.5ms`, `2s`, `0ps`. Parsing the text gives back the duration when it is exact to
    /// three decimals.
    public var description: String {
        let magnitude = picoseconds.magnitude
        let units: [(name: String, scale: UInt64)] = [
            ("s", 1_000_000_000_000), ("ms", 1_000_000_000), ("us", 1_000_000), ("ns", 1_000),
        ]
        let sign = picoseconds < 0 ? "-" : ""
        for unit in units where magnitude >= unit.scale {
            return sign + DecimalText.format(magnitude, scale: unit.scale, maxFractionDigits: 3) + unit.name
        }
        return sign + String(magnitude) + "ps"
    }
}

extension SimDuration {
    /// The units a duration may be written in, and how many picoseconds each holds.
    static let textUnits: [(name: String, scale: Int64)] = [
        ("ps", 1), ("ns", 1_000), ("us", 1_000_000), ("µs", 1_000_000), ("μs", 1_000_000),
        ("ms", 1_000_000_000), ("s", 1_000_000_000_000),
    ]

    /// Parses a human-written duration: a non-negative decimal number and a unit, such as `250ns`,
    /// `10us`, `1.5ms` or `2s` (units `ps`, `ns`, `us` or `µs`, `ms`, `s`).
    ///
    /// The conversion is exact: `1.5ms` is 1,500,000,000 ps; a value finer than 1 ps is an error
    /// rather than a silent rounding.
    /// - Throws: ``UnitParseError`` naming the input and the accepted forms.
    public init(parsing text: String) throws(UnitParseError) {
        let value = try QuantityParser.parseExact(
            text, quantity: "a duration", units: Self.textUnits,
            examples: "250ns, 10us, 1.5ms, 2s", smallestUnit: "1ps")
        self.init(picoseconds: value)
    }
}
