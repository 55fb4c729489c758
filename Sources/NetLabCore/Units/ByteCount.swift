/// A whole number of bytes: a message size, a buffer, an MTU.
public struct ByteCount: Hashable, Comparable, Sendable {
    public var bytes: Int64

    @inlinable
    public init(bytes: Int64) { self.bytes = bytes }

    @inlinable
    public static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.bytes < rhs.bytes }

    static let textUnits: [(name: String, scale: Int64)] = [
        ("B", 1),
        ("KB", 1_000), ("kB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
    ]

    /// Parses a data size: a non-negative number and a unit, such as `64B`, `1.5KiB`, `9000B` or
    /// `1MB`. Decimal units (`KB`, `MB`, `GB`) are powers of 1000, binary ones (`KiB`, `MiB`, `GiB`)
    /// powers of 1024. The result must be a whole number of bytes.
    /// - Throws: ``UnitParseError`` naming the input and the accepted forms.
    public init(parsing text: String) throws(UnitParseError) {
        let bytes = try QuantityParser.parseExact(
            text, quantity: "a data size", units: Self.textUnits,
            examples: "64B, 1.5KiB, 9000B, 1MB", smallestUnit: "1B")
        self.init(bytes: bytes)
    }
}

extension ByteCount: CustomStringConvertible {
    /// `512B`, `1.5KiB`, `4MiB`: binary units from 1 KiB up.
    public var description: String {
        let magnitude = bytes.magnitude
        let sign = bytes < 0 ? "-" : ""
        for (name, scale) in [("GiB", UInt64(1) << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where magnitude >= scale {
            return sign + DecimalText.format(magnitude, scale: scale, maxFractionDigits: 3) + name
        }
        return sign + String(magnitude) + "B"
    }
}
