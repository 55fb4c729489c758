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

    public enum Placement: String, Sendable, CaseIterable {
        case sameCore = "same-core", twoCores = "two-cores"
    }

    public var kind: Kind
    public var path: Path
    public var transport: Transport
    /// Bytes each way per round trip; bytes per write for a stream.
    public var size: Int
    public var placement: Placement
    /// Busy-poll (spin on a non-blocking receive) rather than block.
    public var poll: Bool

    public init(kind: Kind, path: Path, transport: Transport, size: Int, placement: Placement, poll: Bool) {
        self.kind = kind
        self.path = path
        self.transport = transport
        self.size = size
        self.placement = placement
        self.poll = poll
    }

    /// A name that reads as the case: `in-pod tcp 64B two-cores block`, `bridge tcp bulk`.
    public var name: String {
        switch kind {
        case .roundTrip:
            "\(path.rawValue) \(transport.rawValue) \(size)B \(placement.rawValue) \(poll ? "poll" : "block")"
        case .bulk: "\(path.rawValue) \(transport.rawValue) bulk \(placement.rawValue)"
        }
    }

    /// The fit sees round trips of 64 B and 16 KiB and the in-pod TCP stream (the one case that
    /// shows what copying costs from memory rather than cache); 1 KiB, 64 KiB and every other
    /// stream are held out.
    public var isTraining: Bool {
        switch kind {
        case .roundTrip: size == 64 || size == 16_384
        case .bulk: path == .inPod && transport == .tcp
        }
    }
}

/// A measured case: what the host did, repeated, and (once a profile is given) what netlab predicts.
public struct CalibrationMeasurement: Sendable {
    public var calibrationCase: CalibrationCase
    /// Round trip p50 in microseconds, or a stream's throughput in bits per second, per repetition.
    public var repetitions: [Double]
    public var predicted: Double?

    public init(calibrationCase: CalibrationCase, repetitions: [Double], predicted: Double? = nil) {
        self.calibrationCase = calibrationCase
        self.repetitions = repetitions
        self.predicted = predicted
    }

    /// The median of the repetitions.
    public var measured: Double {
        let sorted = repetitions.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Spread of the repetitions: (max − min) / median.
    public var spread: Double {
        guard let low = repetitions.min(), let high = repetitions.max(), measured > 0 else { return .nan }
        return (high - low) / measured
    }

    /// Relative error of the prediction: (predicted − measured) / measured.
    public var error: Double? { predicted.map { ($0 - measured) / measured } }
}
