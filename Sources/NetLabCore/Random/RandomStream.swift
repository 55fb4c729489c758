/// A seeded, reproducible stream of random numbers: xoshiro256** (Blackman and Vigna, "Scrambled
/// Linear Pseudorandom Number Generators", ACM TOMS 47(4), 2021), a 256-bit state, period 2^256 − 1,
/// a few cycles per draw.
///
/// Streams are keyed: `RandomStream(seed: s, stream: k)` derives its state from both numbers
/// through SplitMix64, so each flow can own a stream keyed by its name and adding a flow leaves the
/// draws of every other flow unchanged. The same seed and key give the same sequence on every
/// machine, bit for bit.
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// The stream numbered `stream` under `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = SplitMix64(state: SplitMix64.mix(seed) ^ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019))
        state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
        // xoshiro's only bad state is all zeros; SplitMix64 outputs cannot all be zero, but be explicit.
        if state == (0, 0, 0, 0) { state.0 = 1 }
    }

    /// A generator in exactly `state`, for checking the algorithm against its published outputs.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
    }

    /// The stream named `name` under `seed` (the name is hashed with 64-bit FNV-1a, a stable
    /// function, unlike Swift's per-process randomised `Hasher`).
    public init(seed: UInt64, streamName name: String) {
        self.init(seed: seed, stream: Self.stableHash(of: name))
    }

    /// Whether this stream is exactly where `other` is: the same numbers would follow.
    public func isInState(of other: RandomStream) -> Bool { state == other.state }

    /// An independent child stream, keyed by `index`, for parts of one owner (say, the request and
    /// the response sizes of one flow).
    public func substream(_ index: UInt64) -> RandomStream {
        RandomStream(seed: state.0 ^ SplitMix64.mix(state.1), stream: index)
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = (state.1 &* 5).rotatedLeft(by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = state.3.rotatedLeft(by: 45)
        return result
    }

    /// A uniform draw from the open interval (0, 1): never exactly 0 or 1, so logarithms and
    /// reciprocals of it are always finite.
    @inlinable
    public mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }

    static func stableHash(of name: String) -> UInt64 { StableHash.of(name) }
}

extension UInt64 {
    @inlinable
    func rotatedLeft(by count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}

/// SplitMix64 (Steele, Lea and Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA
/// 2014): used only to expand seeds into xoshiro state, as its authors recommend.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
