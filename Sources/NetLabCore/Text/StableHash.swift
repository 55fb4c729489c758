/// FNV-1a over bytes, 64 bits: the same on every run and platform (Swift's `Hasher` is seeded
/// per process), for what must not change between runs: random stream keys, a sweep's identity,
/// the suffix that keeps a shortened name unique.
public struct StableHash: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
    }

    /// The hash of `text`'s UTF-8 bytes.
    public static func of(_ text: String) -> UInt64 {
        var hash = StableHash()
        hash.combine(text.utf8)
        return hash.value
    }
}
