import NetLabCore

/// A token-bucket shaper, as Linux's `tc tbf` (and the Kubernetes bandwidth CNI plugin, which
/// installs one per direction on a pod's interface): data leaves at `rate` on average, up to
/// `burst` bytes at once after a quiet spell, and at most `limit` bytes wait; more is dropped.
public struct TokenBucket: Sendable, Hashable {
    public var rate: BitRate
    public var burst: ByteCount
    public var limit: ByteCount

    /// A bucket of `rate` with netlab's defaults where a size is not given: a burst of 4 ms at the
    /// rate (tc's floor on a 250 Hz kernel) and at least one 64 KiB offload packet, and a queue
    /// of the burst plus 25 ms at the rate (the bandwidth plugin's latency).
    public init(rate: BitRate, burst: ByteCount? = nil, limit: ByteCount? = nil) {
        self.rate = rate
        let perMillisecond = rate.bitsPerSecond / 8 / 1_000
        self.burst = burst ?? ByteCount(bytes: max(64 << 10, perMillisecond * 4))
        self.limit = limit ?? ByteCount(bytes: self.burst.bytes + perMillisecond * 25)
    }
}

/// The shapers on a pod's interface: traffic into the pod (`ingress`) and out of it (`egress`).
public struct BandwidthLimits: Sendable, Equatable {
    public var ingress: TokenBucket?
    public var egress: TokenBucket?

    public init(ingress: TokenBucket? = nil, egress: TokenBucket? = nil) {
        self.ingress = ingress
        self.egress = egress
    }

    /// The limits of a pod holding containers with these limits: per direction the slowest, since
    /// a pod has one interface and one shaper each way.
    public static func ofPod(_ limits: [BandwidthLimits]) -> BandwidthLimits {
        func slowest(_ buckets: [TokenBucket]) -> TokenBucket? {
            buckets.min { $0.rate.bitsPerSecond < $1.rate.bitsPerSecond }
        }
        return BandwidthLimits(
            ingress: slowest(limits.compactMap(\.ingress)), egress: slowest(limits.compactMap(\.egress)))
    }
}
