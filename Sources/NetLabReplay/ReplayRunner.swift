import NetLabCore
import NetLabModel
import NetLabStats
import NetLabTrace

/// How captured messages are timed in the simulation.
public enum ReplayMode: String, Sendable, CaseIterable {
    /// Every message at its captured time.
    case open
    /// Each conversation's first message at its captured time; every later one when the
    /// simulation has delivered the one before it, plus the gap the capture shows between them
    /// (server processing or client think time).
    case causal
}

/// The results of `netlab replay`: the simulation result of each grouping, and per flow the
/// request-to-response times the capture itself shows.
public struct ReplayResult: Sendable {
    public var mode: ReplayMode
    public var simulation: SimulationResult
    /// Where the capture was taken, when given: the captured timings are then corrected for the
    /// captured path's own costs.
    public var origin: CaptureOrigin?
    /// Per flow: time from the start of a client message to the end of the server's reply, as
    /// seen at the capture point.
    public var captured: [LatencyHistogram]
    /// Per flow, with an origin: the same exchanges as the client application lived them: the
    /// captured time plus what the captured path charges before the capture point for the request
    /// and after it for the reply. Like for like with `simulatedExchanges`.
    public var capturedAtApplication: [LatencyHistogram]
    /// Per grouping, per flow, with an origin in causal mode: the application's gaps between
    /// messages (captured gaps less the captured path's costs), the same in every grouping.
    public var applicationGaps: [[LatencyHistogram]]
    /// Per flow: corrected gaps that came out negative and were taken as zero.
    public var negativeGaps: [Int]
    /// Per flow: TCP handshake round trips in the capture (SYN to the client's first ACK).
    public var capturedHandshakes: [LatencyHistogram]
    /// Per grouping, per flow: the same exchanges in the simulation: from the client application
    /// sending its message to it receiving the server's reply.
    public var simulatedExchanges: [[LatencyHistogram]]
    /// Per grouping: messages injected while their conversation still had a message in flight
    /// the other way (0 in causal mode by construction).
    public var orderViolations: [Int]
    public var warnings: [String]
    /// The one capturing interface replayed (`--interface`), nil for all.
    public var interface: String?
    /// What the profile's own replay check found (`netlab calibrate --replay`), when its file
    /// carries one: how far a replay with it could be trusted on the host it was calibrated on.
    public var profileReplayCheck: ReplayCheckRecord.Summary? = nil
}

/// What one grouping's replay produced.
struct GroupingOutcome: Sendable {
    var result: GroupingResult
    var captured: [LatencyHistogram]
    var capturedAtApplication: [LatencyHistogram]
    var simulatedExchanges: [LatencyHistogram]
    var applicationGaps: [LatencyHistogram]
    var negativeGaps: [Int]
    /// Messages injected while the conversation still had one in flight the other way.
    var orderViolations: Int
}

/// Replays a trace through groupings: each captured message (consecutive same-direction TCP
/// payload, or one UDP datagram) is injected into the simulated path between the containers its
/// endpoints map to, once per grouping, timed as the ``ReplayMode`` says; its delivery latency is
/// measured. The trace is streamed once per grouping, groupings in parallel.
public enum ReplayRunner {
    /// With `origin` (where the capture was taken), captured timings are corrected for the
    /// captured path's own costs (see ``CaptureCorrection``).
    /// With `pcapDirectory`, each grouping's delivered messages are written to
    /// `<directory>/<grouping>.pcap` at their simulated delivery times.
    public static func run(
        _ plan: ReplayPlan, groupings: [Int], profile: CostProfile, seed: UInt64, speed: Double,
        mode: ReplayMode = .open,
        origin: CaptureOrigin? = nil, pcapDirectory: String? = nil,
        progress: (@Sendable (_ finishedGroupings: Int, _ total: Int) -> Void)? = nil
    ) throws(ReplayError) -> ReplayResult {
        precondition(speed > 0, "speed must be positive")
        var extended = plan.topology
        let span = max(0, (plan.summary.lastNanoseconds ?? 0) - plan.firstTimestamp)
        // Long enough for every message to be delivered after the last one starts; a causal
        // replay may take longer than the capture did, so it gets twice the span.
        let picoseconds = (Double(span) * 1000 / speed).rounded()
        // Thirty days at most, as for any simulated run; beyond, Int64 picoseconds would overflow.
        guard picoseconds.isFinite, picoseconds <= 30 * 86_400 * 1e12 else {
            throw ReplayError(
                location: "--speed",
                problem:
                    "the capture spans \(Double(span) / 1e9) s, which at speed \(speed) would replay for more than 30 days",
                fix: "give a higher --speed, or cut the capture (editcap -A/-B)")
        }
        let scaled = SimDuration(picoseconds: Int64(saturating: picoseconds))
        extended.duration = (mode == .causal ? scaled * 2 : scaled) + .seconds(1)
        let topology = extended
        // A do-catch rather than `Result { () throws(ReplayError) in … }`: with that closure, some
        // debug builds of the tests (Swift 6.3.1) saw the plan's trace path empty here and could
        // not reopen the capture, then crashed capturing the error's backtrace; the address and
        // thread sanitizers found nothing, so we suspect the typed-throws closure's codegen.
        let outcomes = parallelMap(count: groupings.count, progress: { progress?($0, $1) }) {
            slot -> Result<GroupingOutcome, ReplayError> in
            do throws(ReplayError) {
                return .success(
                    try replay(
                        plan, topology: topology, grouping: groupings[slot], profile: profile, seed: seed,
                        speed: speed, mode: mode, origin: origin,
                        pcapPath: pcapDirectory.map { "\($0)/\(topology.groupings[groupings[slot]].name).pcap" }))
            } catch {
                return .failure(error)
            }
        }
        var results: [GroupingResult] = []
        var captured: [LatencyHistogram] = []
        var capturedAtApplication: [LatencyHistogram] = []
        var exchanges: [[LatencyHistogram]] = []
        var gaps: [[LatencyHistogram]] = []
        var negativeGaps: [Int] = []
        var violations: [Int] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let value):
                results.append(value.result)
                captured = value.captured
                capturedAtApplication = value.capturedAtApplication
                exchanges.append(value.simulatedExchanges)
                gaps.append(value.applicationGaps)
                negativeGaps = value.negativeGaps
                violations.append(value.orderViolations)
            case .failure(let error):
                throw error
            }
        }
        let simulation = SimulationResult(
            topology: topology.name, seed: seed, duration: topology.duration, warmup: .zero,
            profile: profile.name, groupings: results)
        var result = ReplayResult(
            mode: mode, simulation: simulation, origin: origin, captured: captured,
            capturedAtApplication: capturedAtApplication, applicationGaps: gaps, negativeGaps: negativeGaps,
            capturedHandshakes: plan.handshakeRTTs, simulatedExchanges: exchanges,
            orderViolations: violations,
            warnings: plan.warnings
                + warnings(
                    plan, mode: mode, origin: origin, captured: captured,
                    negativeGaps: negativeGaps, gaps: gaps.first ?? [], profile: profile, seed: seed))
        result.interface = plan.interface
        return result
    }

    static func replay(
        _ plan: ReplayPlan, topology: Topology, grouping: Int, profile: CostProfile, seed: UInt64, speed: Double,
        mode: ReplayMode,
        origin: CaptureOrigin? = nil, pcapPath: String? = nil
    ) throws(ReplayError) -> GroupingOutcome {
        let reader: TraceReader
        var writer: TraceWriter?
        do {
            reader = try TraceReader(path: plan.trace, interface: plan.interface)
            if let pcapPath { writer = try TraceWriter(path: pcapPath, linkType: 1, snapshotLength: 128) }
        } catch {
            throw ReplayError(error)
        }
        var session = ReplaySession(
            plan: plan, topology: topology, grouping: grouping, profile: profile, seed: seed, speed: speed, mode: mode,
            linkType: reader.linkType, format: reader.format, origin: origin, writer: writer)
        do {
            try reader.forEachPacket { packet in session.read(packet) }
        } catch {
            throw ReplayError(error)
        }
        let outcome = session.finish()
        do { try writer?.close() } catch {
            throw ReplayError(error)
        }
        return outcome
    }
}

extension ReplayRunner {
    /// What the user should know about the capture's structure and its correction: flows with no
    /// request/reply exchange to time in causal mode, and gaps the correction made negative (with
    /// the profile figures that decide the correction).
    static func warnings(
        _ plan: ReplayPlan, mode: ReplayMode, origin: CaptureOrigin?, captured: [LatencyHistogram], negativeGaps: [Int],
        gaps: [LatencyHistogram], profile: CostProfile, seed: UInt64
    ) -> [String] {
        var warnings: [String] = []
        let capturedRun = origin.map {
            GroupingRun(topology: plan.topology, grouping: $0.grouping, profile: profile, seed: seed)
        }
        for (flow, spec) in plan.topology.flows.enumerated() where flow < captured.count {
            if mode == .causal, captured[flow].count == 0 {
                warnings.append(
                    "flow \(spec.name): the capture shows no request followed by a reply, so causal mode only keeps each conversation's message order and there is no request-to-reply time to compare"
                )
            }
            if origin != nil, flow < negativeGaps.count, negativeGaps[flow] > 0 {
                let total = flow < gaps.count ? gaps[flow].count : 0
                var charged = ""
                if let origin, let capturedRun, capturedRun.captureProblem(flow: flow, at: origin.point) == nil {
                    let split = capturedRun.captureSplit(flow: flow, fromServer: false, bytes: 1, at: origin.point)
                    let path = capturedRun.pathClass(ofFlow: flow)
                    let named = Stage.lifeOrder.filter { !$0.profileFields(for: spec.transport, on: path).isEmpty }
                        .map { ($0, split.stages[$0]) }.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }.prefix(3)
                    charged =
                        "; per message the profile charges there "
                        + named.map { stage, picoseconds in
                            "\(stage.label) \(FigureText.duration(nanoseconds: Double(picoseconds) / 1000)) (\(stage.profileFields(for: spec.transport, on: path).joined(separator: ", ")))"
                        }.joined(separator: ", ")
                    let extras = profile.variability.idleWakeup
                    if split.wakesIdleCore, extras.0 != .zero || extras.1 != .zero || extras.2 != .zero {
                        let figures = [extras.0, extras.1, extras.2].map {
                            FigureText.duration(nanoseconds: Double($0.picoseconds) / 1000)
                        }
                        charged +=
                            ", and a receiver woken on a core idle since it last sent \(figures.joined(separator: " / ")) more after 100 µs / 1 ms / 10 ms (idle_wakeup_100us, idle_wakeup_1ms, idle_wakeup_10ms)"
                    }
                }
                let share = profile.variability.lowEndShare
                let variation =
                    share > 0
                    ? ", even at the low end of their variation (each cost \(Int(saturating: (share * 100).rounded()))% below its figure: two standard deviations, σ the larger of work_sigma and wakeup_sigma),"
                    : ""
                warnings.append(
                    "flow \(spec.name): \(negativeGaps[flow]) of \(total) captured gaps were shorter than the host costs the profile charges on the captured path\(variation) and were taken as 0, what they lacked coming off that side's next gaps\(charged): the profile is slower than the host that made the capture; lower those figures, or measure this host with netlab calibrate"
                )
            }
        }
        return warnings
    }
}
