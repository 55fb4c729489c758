import NetLabCore

/// One measurement `netlab calibrate` makes on the host, described well enough to be predicted by
/// the simulator: a ping-pong round trip or a bulk stream, over one transport, on one path.
public struct CalibrationCase: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable { case roundTrip = "round-trip", bulk }

    /// Where the two processes sit: one network namespace (one pod); two namespaces on a bridge
    /// through veth pairs (pods on one node); two namespaces joined by a veth pair, routed, and
    /// VXLAN over that pair (stand-ins for two nodes).
    public enum Path: String, Sendable, CaseIterable {
        case inPod = "in-pod", bridge, routed, vxlan
        public var needsNamespaces: Bool { self != .inPod }
    }

    public enum Transport: String, Sendable, CaseIterable {
        case tcp, udp, uds
        case udsDatagram = "uds-dgram"
        case pipe
        case shmFutex = "shm-futex", shmSpin = "shm-spin"
    }

    /// Where the two processes run: pinned to one core, pinned to two, or left to the scheduler
    /// (which tells where the host wakes a reader).
    public enum Placement: String, Sendable, CaseIterable {
        case sameCore = "same-core", twoCores = "two-cores", unpinned
        /// The pinned placements every round trip is measured in.
        public static let pinned: [Placement] = [.sameCore, .twoCores]
    }

    public var kind: Kind
    public var path: Path
    public var transport: Transport
    /// Bytes each way per round trip; bytes per write for a stream.
    public var size: Int
    public var placement: Placement
    /// Busy-poll (spin on a non-blocking receive) rather than block.
    public var poll: Bool
    /// The client's pause before each round trip, in microseconds (0: back to back): the cores
    /// go idle meanwhile, and a wake-up from a longer idleness costs more.
    public var thinkMicroseconds: Int
    /// A TCP stream's congestion control (nil: the host's default, and for every other case).
    public var congestionControl: CongestionControl?
    /// A token bucket on the client's interface, out of it, as `tc tbf` (and the Kubernetes
    /// bandwidth plugin) puts one there; nil for none.
    public var shaper: TokenBucket?

    public init(
        kind: Kind, path: Path, transport: Transport, size: Int, placement: Placement, poll: Bool,
        thinkMicroseconds: Int = 0, congestionControl: CongestionControl? = nil, shaper: TokenBucket? = nil
    ) {
        self.kind = kind
        self.path = path
        self.transport = transport
        self.size = size
        self.placement = placement
        self.poll = poll
        self.thinkMicroseconds = thinkMicroseconds
        self.congestionControl = congestionControl
        self.shaper = shaper
    }

    /// The shaper the shaped streams are measured through: what a pod annotated with
    /// `kubernetes.io/egress-bandwidth: 10G` gets, with the burst and queue of
    /// `tc qdisc add dev eth0 root tbf rate 10gbit burst 128kb limit 1mb`.
    public static let podShaper = TokenBucket(
        rate: BitRate(bitsPerSecond: 10_000_000_000), burst: ByteCount(bytes: 128 << 10),
        limit: ByteCount(bytes: 1 << 20))

    /// The think times whose round trips fit the wake-up's growth with idleness (the knots of
    /// ``HostVariability``).
    public static let idleKnots = [100, 1_000, 10_000]

    /// A name that reads as the case: `in-pod tcp 64B two-cores block`, `bridge tcp bulk cubic two-cores`.
    public var name: String {
        switch kind {
        case .roundTrip:
            "\(path.rawValue) \(transport.rawValue) \(size)B \(placement.rawValue) \(poll ? "poll" : "block")"
                + (thinkMicroseconds > 0 ? " think \(Self.thinkText(thinkMicroseconds))" : "")
        case .bulk:
            "\(path.rawValue) \(transport.rawValue) bulk \(congestionControl.map { "\($0.rawValue) " } ?? "")\(placement.rawValue)"
                + (shaper.map { " tbf \($0.rate)" } ?? "")
        }
    }

    static func thinkText(_ microseconds: Int) -> String {
        microseconds % 1_000 == 0 ? "\(microseconds / 1_000)ms" : "\(microseconds)us"
    }

    /// The fit sees round trips of 64 B and 16 KiB and the in-pod TCP stream under CUBIC (the one
    /// case that shows what copying costs from memory rather than cache); 1 KiB, 64 KiB and every
    /// other stream, BBR's and the shaped ones included, are held out. Of the round trips with
    /// think time, the in-pod TCP ones at the idle knots train; the others are held out.
    public var isTraining: Bool {
        switch kind {
        case .roundTrip where placement == .unpinned:
            true  // decides where the host wakes a reader (``ProfileFit``), not the figures
        case .roundTrip where thinkMicroseconds > 0:
            isIdleKnotCase
        case .roundTrip: size == 64 || size == 16_384
        case .bulk: path == .inPod && transport == .tcp && congestionControl != .bbr && shaper == nil
        }
    }
}

extension CalibrationCase {
    /// A round trip that fits the wake-up's growth with idleness: in-pod TCP, 64 B, two cores,
    /// blocking, at one of the idle knots.
    public var isIdleKnotCase: Bool {
        kind == .roundTrip && path == .inPod && transport == .tcp && size == 64 && placement == .twoCores && !poll
            && Self.idleKnots.contains(thinkMicroseconds)
    }
}

/// The upper quantiles of a round trip's distribution, in microseconds.
public struct RoundTripTail: Sendable, Equatable {
    public var p90: Double
    public var p99: Double
    public var p999: Double

    public init(p90: Double, p99: Double, p999: Double) {
        self.p90 = p90
        self.p99 = p99
        self.p999 = p999
    }
}

/// A measured case: what the host did, repeated, and (once a profile is given) what netlab predicts.
public struct CalibrationMeasurement: Sendable {
    public var calibrationCase: CalibrationCase
    /// Round trip p50 in microseconds, or a stream's throughput in bits per second, per repetition.
    public var repetitions: [Double]
    /// A round trip's upper quantiles per repetition (empty for streams, and in files written
    /// before netlab measured them).
    public var tails: [RoundTripTail]
    public var predicted: Double?
    public var predictedTail: RoundTripTail?

    public init(
        calibrationCase: CalibrationCase, repetitions: [Double], tails: [RoundTripTail] = [], predicted: Double? = nil
    ) {
        self.calibrationCase = calibrationCase
        self.repetitions = repetitions
        self.tails = tails
        self.predicted = predicted
    }

    /// The median over the repetitions of one upper quantile, or nil if none was measured.
    public func measured(_ quantile: KeyPath<RoundTripTail, Double>) -> Double? {
        tails.isEmpty ? nil : Self.median(tails.map { $0[keyPath: quantile] })
    }

    /// Spread of one upper quantile over the repetitions: (max − min) / median.
    public func spread(_ quantile: KeyPath<RoundTripTail, Double>) -> Double? {
        let values = tails.map { $0[keyPath: quantile] }
        guard let low = values.min(), let high = values.max(), let middle = measured(quantile), middle > 0 else {
            return nil
        }
        return (high - low) / middle
    }

    /// Relative error of the predicted upper quantile.
    public func error(_ quantile: KeyPath<RoundTripTail, Double>) -> Double? {
        guard let predicted = predictedTail?[keyPath: quantile], let measured = measured(quantile), measured > 0 else {
            return nil
        }
        return (predicted - measured) / measured
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The median of the repetitions.
    public var measured: Double { Self.median(repetitions) }

    /// Spread of the repetitions: (max − min) / median.
    public var spread: Double {
        guard let low = repetitions.min(), let high = repetitions.max(), measured > 0 else { return .nan }
        return (high - low) / measured
    }

    /// Relative error of the prediction: (predicted − measured) / measured.
    public var error: Double? { predicted.map { ($0 - measured) / measured } }
}
