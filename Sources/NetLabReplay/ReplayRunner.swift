import Dispatch
import NetLabCore
import NetLabModel
import NetLabStats
import NetLabTrace

/// The results of `netlab replay`: the simulation result of each grouping, and per flow the
/// request-to-response times the capture itself shows.
public struct ReplayResult: Sendable {
    public var simulation: SimulationResult
    /// Per flow: time from the start of a client message to the end of the server's reply, as
    /// seen at the capture point.
    public var captured: [LatencyHistogram]
    public var warnings: [String]
}

/// Open-mode replay: each captured message (consecutive same-direction TCP payload, or one UDP
/// datagram) is injected at its captured time, scaled by `speed`, into the simulated path between
/// the containers its endpoints map to, once per grouping; its delivery latency is measured.
///
/// The trace is streamed (once per grouping, groupings in parallel). A message's size is known
/// only when the other side speaks or the conversation ends, so the simulation is held back to
/// the earliest start of a message still being read; memory grows with the conversations open at
/// once, not with the trace.
public enum ReplayRunner {
    /// Messages longer than this are injected in pieces, so a long one-way transfer does not hold
    /// the simulation back until it ends.
    static let largestMessage: Int64 = 1 << 20

    public static func run(
        _ plan: ReplayPlan, groupings: [Int], profile: CostProfile, seed: UInt64, speed: Double
    ) throws(ReplayError) -> ReplayResult {
        precondition(speed > 0, "speed must be positive")
        var extended = plan.topology
        let span = max(0, (plan.summary.lastNanoseconds ?? 0) - plan.firstTimestamp)
        // Long enough for every message to be delivered after the last one starts.
        extended.duration = SimDuration(picoseconds: Int64((Double(span) * 1000 / speed).rounded())) + .seconds(1)
        let topology = extended
        let outcomes = Outcomes(count: groupings.count)
        DispatchQueue.concurrentPerform(iterations: groupings.count) { slot in
            outcomes.store(Result { () throws(ReplayError) in
                try replay(plan, topology: topology, grouping: groupings[slot], profile: profile, seed: seed, speed: speed)
            }, at: slot)
        }
        var results: [GroupingResult] = []
        var captured: [LatencyHistogram] = []
        for outcome in outcomes.results {
            switch outcome {
            case .success(let value):
                results.append(value.0)
                captured = value.1
            case .failure(let error):
                throw error
            }
        }
        let simulation = SimulationResult(topology: topology.name, seed: seed, duration: topology.duration, warmup: .zero,
                                          profile: profile.name, groupings: results)
        return ReplayResult(simulation: simulation, captured: captured, warnings: plan.warnings)
    }

    /// A message being read from the trace: its direction, start, last packet and bytes.
    struct OpenMessage {
        var fromA = false
        var start: Int64 = 0
        var last: Int64 = 0
        var bytes: Int64 = 0
        var isOpen = false
    }

    static func replay(
        _ plan: ReplayPlan, topology: Topology, grouping: Int, profile: CostProfile, seed: UInt64, speed: Double
    ) throws(ReplayError) -> (GroupingResult, [LatencyHistogram]) {
        var run = GroupingRun(topology: topology, grouping: grouping, profile: profile, seed: seed)
        var simulation = Simulation<DefaultEventQueue>(expectedPendingEvents: 4096)
        run.start(&simulation)
        let reader: TraceReader
        do { reader = try TraceReader(path: plan.trace) } catch {
            throw ReplayError(location: error.location, problem: error.problem, fix: error.fix)
        }
        var scanner = ConversationScanner(linkType: reader.linkType)
        var open = Array(repeating: OpenMessage(), count: plan.conversationFlow.count)
        var openConversations: Set<Int> = []
        var lastClientStart = Array(repeating: Int64(-1), count: plan.conversationFlow.count)
        var captured = Array(repeating: LatencyHistogram(), count: topology.flows.count)
        var ready = QuaternaryHeapQueue()
        var sequence: UInt64 = 0
        let first = plan.firstTimestamp

        func simulatedTime(_ nanoseconds: Int64) -> SimTime {
            let elapsed = max(0, nanoseconds - first)
            return SimTime(picoseconds: speed == 1 ? elapsed * 1000 : Int64((Double(elapsed) * 1000 / speed).rounded()))
        }
        /// Queues a finished message for injection at its start.
        func finish(_ conversation: Int) {
            let message = open[conversation]
            guard message.isOpen else { return }
            open[conversation].isOpen = false
            openConversations.remove(conversation)
            let flow = Int(plan.conversationFlow[conversation])
            if message.fromA {
                lastClientStart[conversation] = message.start
            } else if lastClientStart[conversation] >= 0 {
                captured[flow].record(picoseconds: (message.last - lastClientStart[conversation]) * 1000)
                lastClientStart[conversation] = -1
            }
            ready.insert(ScheduledEvent(time: simulatedTime(message.start), sequence: sequence,
                                        action: EventAction(kind: message.fromA ? 0 : 1, target: UInt32(conversation), argument: UInt64(message.bytes))))
            sequence += 1
        }
        /// Injects every ready message that starts by `limit`, in order, then runs the simulation to `limit`.
        func advance(to limit: SimTime) {
            while let next = ready.removeFirst(notAfter: limit) {
                if next.time > simulation.now { simulation.run(until: next.time, handler: &run) }
                let conversation = Int(next.action.target)
                run.inject(flow: Int(plan.conversationFlow[conversation]), conversation: conversation, fromServer: next.action.kind == 1,
                           bytes: Int64(next.action.argument), &simulation)
            }
            if limit > simulation.now { simulation.run(until: limit, handler: &run) }
        }

        var sinceAdvance = 0
        do {
            try reader.forEachPacket { packet in
                _ = scanner.scan(packet) { header, conversation, fromA in
                    guard conversation < plan.conversationFlow.count, plan.conversationFlow[conversation] >= 0, header.payloadLength > 0 else { return }
                    let time = packet.timestampNanoseconds
                    if header.proto == .udp {
                        open[conversation] = OpenMessage(fromA: fromA, start: time, last: time, bytes: Int64(header.payloadLength), isOpen: true)
                        finish(conversation)
                        return
                    }
                    if open[conversation].isOpen, open[conversation].fromA != fromA || open[conversation].bytes >= largestMessage {
                        finish(conversation)
                    }
                    if open[conversation].isOpen {
                        open[conversation].bytes += Int64(header.payloadLength)
                        open[conversation].last = time
                    } else {
                        open[conversation] = OpenMessage(fromA: fromA, start: time, last: time, bytes: Int64(header.payloadLength), isOpen: true)
                        openConversations.insert(conversation)
                    }
                }
                sinceAdvance += 1
                if sinceAdvance >= 256 {
                    sinceAdvance = 0
                    // Nothing may be injected before a message still being read starts.
                    var safe = packet.timestampNanoseconds
                    for conversation in openConversations { safe = min(safe, open[conversation].start) }
                    advance(to: SimTime(picoseconds: max(0, simulatedTime(safe).picoseconds - 1)))
                }
            }
        } catch {
            throw ReplayError(location: error.location, problem: error.problem, fix: error.fix)
        }
        for conversation in openConversations.sorted() { finish(conversation) }
        advance(to: .zero + topology.duration)
        return (run.currentResult(events: simulation.executedEvents), captured)
    }
}

/// Results of parallel workers, each in its own slot.
private final class Outcomes: @unchecked Sendable {
    private var slots: [Result<(GroupingResult, [LatencyHistogram]), ReplayError>?]
    private let lock = DispatchSemaphore(value: 1)

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ outcome: Result<(GroupingResult, [LatencyHistogram]), ReplayError>, at slot: Int) {
        lock.wait()
        slots[slot] = outcome
        lock.signal()
    }

    var results: [Result<(GroupingResult, [LatencyHistogram]), ReplayError>] { slots.map { $0! } }
}
