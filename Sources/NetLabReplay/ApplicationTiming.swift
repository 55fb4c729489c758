import NetLabCore
import NetLabModel
import NetLabStats

/// What a replay takes from a capture as the application's own timing: the captured times less
/// what the captured path itself cost on each side of the capture point, with a capture origin
/// (``CaptureCorrection``), or the captured times as they are without one.
struct ApplicationTiming {
    /// With a capture origin: the captured path's own costs, per flow and message.
    private var correction: CaptureCorrection?
    /// Per flow, the application's gaps between messages after the correction (causal mode), and
    /// how many came out negative beyond what the profile's own variation explains (every
    /// negative gap is taken as zero).
    private(set) var gaps: [LatencyHistogram]
    private(set) var negativeGaps: [Int]
    /// The share of a gap's correction that the host's variation may take off
    /// (``HostVariability/lowEndShare``): a correction at its typical figure leaves a gap of no
    /// application time negative about half the time, which says nothing about the profile; a
    /// gap shorter than the costs at the low end of their variation does.
    private let variationAllowance: Double
    /// Per flow, the most the correction can take off a gap: the path after the capture point
    /// for the message before it and before the point for the next (of the largest size).
    private(set) var largestCorrection: [Int64]

    /// `largestMessage`: the largest message a replay injects in one piece.
    init(
        origin: CaptureOrigin?, topology: Topology, profile: CostProfile, seed: UInt64, largestMessage: Int64
    ) {
        gaps = Array(repeating: LatencyHistogram(), count: topology.flows.count)
        negativeGaps = Array(repeating: 0, count: topology.flows.count)
        largestCorrection = Array(repeating: 0, count: topology.flows.count)
        variationAllowance = profile.variability.lowEndShare
        guard let origin else { return }
        var correction = CaptureCorrection(origin: origin, topology: topology, profile: profile, seed: seed)
        for flow in topology.flows.indices where correction.problem(flow: flow) == nil {
            let splits = [false, true].map {
                correction.split(flow: flow, fromServer: $0, bytes: largestMessage)
            }
            largestCorrection[flow] = splits.map(\.afterCapture).max()! + splits.map(\.beforeCapture).max()!
        }
        self.correction = correction
    }

    /// Whether captured times are corrected (a capture origin was given).
    var corrects: Bool { correction != nil }

    /// What the captured path of `flow` charged before the capture point for a message of
    /// `bytes` (ps): the sender's side. 0 without a capture origin.
    mutating func costBeforeCapture(flow: Int, fromServer: Bool, bytes: Int64) -> Int64 {
        correction?.split(flow: flow, fromServer: fromServer, bytes: bytes).beforeCapture ?? 0
    }

    /// What the captured path of `flow` charged after the capture point for a message of `bytes`
    /// (ps): the receiver's side. 0 without a capture origin.
    mutating func costAfterCapture(flow: Int, fromServer: Bool, bytes: Int64) -> Int64 {
        correction?.split(flow: flow, fromServer: fromServer, bytes: bytes).afterCapture ?? 0
    }

    /// Causal mode: the application's own gap (ps) between `previous`, delivered, and `next`,
    /// from the captured gap between them: less what the path charged after the capture point
    /// for the one and before it for the other, never below zero. Recorded with a capture origin;
    /// without one the captured gap is the application's.
    ///
    /// `receiverIdle` (ps, or nil if unknown) is how long the receiver of `previous` had been
    /// idle when it arrived, as the capture shows it (since the end of the last message that
    /// side sent): a receiver woken on an idle core paid the profile's extra for that idle
    /// spell, as the simulation charges it again.
    mutating func gap(
        captured gap: Int64, after previous: ReplaySession.Captured, before next: ReplaySession.Captured, flow: Int,
        receiverIdle: Int64?
    ) -> Int64 {
        guard let split = correction?.split(flow: flow, fromServer: !previous.fromA, bytes: previous.bytes) else {
            return gap
        }
        var after = split.afterCapture
        if split.wakesIdleCore, let receiverIdle {
            after += correction?.idleWakeupExtra(afterIdle: receiverIdle) ?? 0
        }
        let before = costBeforeCapture(flow: flow, fromServer: !next.fromA, bytes: next.bytes)
        let corrected = gap - after - before
        // Back-to-back writes of one side may overlap their own delivery; only a turn in the
        // conversation says the host was faster than the profile, and only by more than the
        // profile lets its costs vary.
        let allowance = Int64(saturating: (Double(after + before) * variationAllowance).rounded())
        if corrected < -allowance, previous.fromA != next.fromA { negativeGaps[flow] += 1 }
        gaps[flow].record(picoseconds: max(0, corrected))
        return max(0, corrected)
    }
}
