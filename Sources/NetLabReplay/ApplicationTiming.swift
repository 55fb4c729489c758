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
    /// Per flow and answering side (index `2 × flow`, +1 for the server), what its corrected
    /// turns came out below zero and has not yet been taken off a later turn.
    private var carries: [TurnCarry]

    /// `largestMessage`: the largest message a replay injects in one piece.
    init(
        origin: CaptureOrigin?, topology: Topology, profile: CostProfile, seed: UInt64, largestMessage: Int64
    ) {
        gaps = Array(repeating: LatencyHistogram(), count: topology.flows.count)
        negativeGaps = Array(repeating: 0, count: topology.flows.count)
        largestCorrection = Array(repeating: 0, count: topology.flows.count)
        carries = Array(repeating: TurnCarry(), count: topology.flows.count * 2)
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
    /// The correction takes out the path's typical costs, while the host's varied from turn to
    /// turn: where the application itself took little time (a server that answers at once), a
    /// turn comes out below zero as often as above. Taking each such turn as zero and keeping the
    /// others would add the host's variation to the application's time, on top of the variation
    /// the simulation draws again, and push the replayed latencies up (their p99 most). So what a
    /// turn comes out below zero is carried and taken off that side's next turns, down to zero:
    /// the side's application time summed over the capture stays what the corrected capture
    /// shows.
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
        var application = max(0, corrected)
        if previous.fromA != next.fromA {
            if corrected < -allowance { negativeGaps[flow] += 1 }
            application = carries[flow * 2 + (next.fromA ? 0 : 1)].application(corrected: corrected)
        }
        gaps[flow].record(picoseconds: application)
        return application
    }
}

/// One side's corrected turns, taken as its application's time: a turn below zero counts as
/// zero, and what it lacked comes off the side's next turns, so that the times handed out, less
/// what is still carried, add up to the corrected turns.
struct TurnCarry {
    /// What turns came out below zero and has not yet been taken off a later turn (ps, ≥ 0).
    private(set) var carried: Int64 = 0

    /// The application's time for a turn that came out `corrected` (ps, any sign).
    mutating func application(corrected: Int64) -> Int64 {
        let owed = carried - corrected
        carried = max(0, owed)
        return max(0, -owed)
    }
}
