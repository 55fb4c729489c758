import NetLabCore
import NetLabStats

/// The simulation of one grouping: every container replica as an endpoint on its node, every flow
/// as connections between endpoints, every node's cores as a multi-server queue and every NIC and
/// switch port as a drop-tail link. An ``EventHandler`` over plain arrays indexed by integer
/// handles: packets, messages, calls and CPU work come from free lists, so a steady run allocates
/// nothing per event.
public struct GroupingRun: EventHandler {
    enum EventKind: UInt32 {
        case arrival = 1, callerStart, cpuDone, segmentSent, wireArrival, retransmissionTimer, delayedAck, checkpoint,
            ackProcessed
        case hopDone = 10, sendDone, receiveDone, serverDone, resumePacket, pacingTimer, handshakeRetry
    }

    let topology: Topology
    let grouping: Grouping
    let profile: CostProfile
    let warmupEnd: SimTime
    let end: SimTime

    var endpoints: [Endpoint] = []
    /// Per container, its endpoints by replica.
    var endpointsOfContainer: [[Int]] = []
    var connections: [Connection] = []
    var halves: [HalfConnection] = []
    /// The queue sets of the halves whose seldom-filled queues hold something (``HalfQueues``).
    var halfQueues = HalfQueuePool()
    /// The elements of every half's queues.
    var rings = HalfConnectionRings()
    /// BBR state of the halves that run BBR (``HalfConnection/pacer``).
    var pacers: [Pacer] = []
    /// Per flow, its connections in round-robin order (a flow's connections are built one after
    /// another: a range, not an array per flow).
    var flowConnections: [Range<Int32>] = []
    var nextConnection: [Int] = []
    var hops: [Hop] = []
    /// While connections are built: the hops of each path built so far, shared by connections
    /// whose paths are alike.
    var builtPaths: [PathKey: (start: Int32, count: Int16)] = [:]
    var lanes: [Lane] = []
    /// The packets waiting at each lane.
    var laneQueues = RingPool<Int32>()
    /// The cores of each host: one per node, except that nodes on one host (``Node/host``) share
    /// one pool; `poolOfNode` says which.
    var pools: [CorePool] = []
    var poolOfNode: [Int] = []
    /// Every host's cores, host after host; `nodeOfCore` maps back (to the host's first node).
    var cores: [Core] = []
    var nodeOfCore: [Int] = []
    /// The core whose finished work is being followed up now (kernel work it raises stays
    /// there, and a thread it wakes there costs a context switch), or -1.
    var currentCore: Int32 = -1
    /// Things the user should know about this run (a container that could not poll, ...).
    var warnings: [String] = []
    var links: [Link] = []
    /// Per node, its NIC transmit link and the switch port that sends to it.
    var nicLink: [Int32] = []
    /// Per node, the shaper on its NIC's egress, or -1.
    var nicShaper: [Int32] = []
    var portLink: [Int32] = []

    var packets = Pool<Packet>()
    var messages = Pool<Message>()
    var calls = Pool<Call>()
    var works = Pool<Work>()
    /// Beside the pools, by the same handles: each packet's, message's and call's time by stage.
    let journeys = SideTable<PacketJourney>()
    let messageTimes = SideTable<MessageTimes>()
    let callTimes = SideTable<MessageTimes>()
    /// How long the piece of work whose continuation runs now ran.
    var finishedWork: Int64 = 0

    var tallies: [FlowTally]
    /// Per flow: arrivals, request sizes, response sizes, server times (open loop), and one stream
    /// per closed-loop caller; keyed by flow name so that draws match in every grouping.
    var streams = FlowStreams()
    var callerStreams: [[RandomStream]] = []
    /// Per connection: the timing noise of its ACK processing.
    var jitterStreams: [RandomStream] = []
    /// Per node: the variation of its host costs (``HostVariability``).
    var hostNoise: [RandomStream] = []
    /// Per flow, the gaps between arrivals of an open-loop flow (nil for others), and for a oneway
    /// flow the index of its message sizes in `onewaySizes` (-1 for others: a cluster's flows are
    /// mostly rpc, and a 4-byte index per flow costs less than an optional per flow): read once,
    /// so that each arrival copies no flow description.
    var openIntervals: [Distribution?] = []
    var onewaySizeIndex: [Int32] = []
    var onewaySizes: [Distribution] = []
    /// Per flow, the gap between arrivals and the oneway message size in whole picoseconds and
    /// bytes when they are constants (a constant draws no random number), else -1.
    var constantGaps: [Int64] = []
    var constantSizes: [Int64] = []
    /// Per flow, bytes of a finite stream still to write.
    var streamBytesLeft: [Int64] = []
    /// Per conversation of injected messages, its connection (-1 until its first message).
    var injectedConnections: [Int32] = []
    /// When set, every delivered injected message is kept for `takeDeliveries()` and the
    /// simulation pauses, so that whoever injects can react before time moves on.
    public var pausesOnDelivery = false
    var deliveries: [Delivery] = []

    static let streamChunk: Int64 = 64 << 10
    /// Packets launched within one another's handling, now (see `launch`), and the most allowed.
    var inlineDepth = 0
    static let deepestInlineChain = 64

    /// Prepares the run of `grouping` (an index into `topology.groupings`) under `profile`.
    public init(topology: Topology, grouping index: Int, profile: CostProfile, seed: UInt64) {
        self.topology = topology
        self.grouping = topology.groupings[index]
        self.profile = profile
        self.warmupEnd = .zero + topology.warmup
        self.end = .zero + topology.duration
        tallies = Array(repeating: FlowTally(), count: topology.flows.count)
        buildCoresAndLinks()
        buildConnections()
        hostNoise = topology.cluster.nodes.map { RandomStream(seed: seed, streamName: "host " + $0.name) }
        reservePerFlowState(flows: topology.flows.count)
        streams = FlowStreams(flows: topology.flows, seed: seed)
        for flow in topology.flows {
            let base = RandomStream(seed: seed, streamName: flow.name)
            var callers: [RandomStream] = []
            if case .rpc(let rpc) = flow.pattern, case .closed(let count, _) = rpc.arrivals {
                callers = (0..<count).map { base.substream(100 + UInt64($0)) }
            }
            callerStreams.append(callers)
            if case .stream(let bytes) = flow.pattern {
                streamBytesLeft.append(bytes ?? .max)
            } else {
                streamBytesLeft.append(0)
            }
            switch flow.pattern {
            case .rpc(let rpc):
                if case .open(let gaps) = rpc.arrivals { openIntervals.append(gaps) } else { openIntervals.append(nil) }
                onewaySizeIndex.append(-1)
            case .oneway(let size, let arrivals):
                if case .open(let gaps) = arrivals { openIntervals.append(gaps) } else { openIntervals.append(nil) }
                onewaySizeIndex.append(Int32(onewaySizes.count))
                onewaySizes.append(size)
            case .stream, .injected:
                openIntervals.append(nil)
                onewaySizeIndex.append(-1)
            }
            if case .constant(let gap)? = openIntervals.last! {
                constantGaps.append(Int64(saturating: Self.clamped(gap, 0, Self.longestDraw)))
            } else {
                constantGaps.append(-1)
            }
            if onewaySizeIndex.last! >= 0, case .constant(let size) = onewaySizes.last! {
                constantSizes.append(Int64(saturating: Self.clamped(size, 1, Self.largestMessage)))
            } else {
                constantSizes.append(-1)
            }
        }
        jitterStreams.reserveCapacity(connections.count)
        for (index, list) in flowConnections.enumerated() {
            for (slot, _) in list.enumerated() {
                jitterStreams.append(
                    RandomStream(seed: seed, streamName: topology.flows[index].name).substream(1_000 + UInt64(slot)))
            }
        }
    }

    /// Sizes the per-flow arrays once: a cluster's run to megabytes each, which growing by
    /// doubling would hold up to twice over.
    private mutating func reservePerFlowState(flows count: Int) {
        callerStreams.reserveCapacity(count)
        streamBytesLeft.reserveCapacity(count)
        openIntervals.reserveCapacity(count)
        onewaySizeIndex.reserveCapacity(count)
        constantGaps.reserveCapacity(count)
        constantSizes.reserveCapacity(count)
    }

    /// Schedules every flow's first arrival, and the checks of each flow's backlog at each
    /// quarter of the measured window.
    public mutating func start<Queue: EventQueue>(_ simulation: inout Simulation<Queue>) {
        let window = (end - warmupEnd).picoseconds
        for quarter in 1...4 {
            let at = warmupEnd + SimDuration(picoseconds: quarter == 4 ? window - 1 : window / 4 * Int64(quarter))
            simulation.schedule(EventAction(kind: EventKind.checkpoint.rawValue), at: at)
        }
        for (flowIndex, flow) in topology.flows.enumerated() {
            switch flow.pattern {
            case .rpc(let rpc):
                switch rpc.arrivals {
                case .open(let interval):
                    let gap = flow.start ?? Self.drawDuration(interval, &streams[flowIndex, .arrivals])
                    if gap < topology.duration {
                        simulation.schedule(
                            EventAction(kind: EventKind.arrival.rawValue, target: UInt32(flowIndex)), at: .zero + gap)
                    }
                case .closed(let callers, let think):
                    guard !callsTakeNoTime(flow: flowIndex, rpc: rpc, think: think) else {
                        warnings.append(
                            "flow \(flow.name): its calls cost nothing over \(connections[Int(flowConnections[flowIndex].lowerBound)].pathClass.rawValue) under profile \(profile.name) and its callers neither think nor wait for a server, so they would call without end at one instant; it was not simulated (give it a think time or server time, or the profile host costs)"
                        )
                        continue
                    }
                    for caller in 0..<callers {
                        simulation.schedule(
                            EventAction(
                                kind: EventKind.callerStart.rawValue, target: UInt32(flowIndex),
                                argument: UInt64(caller)), at: .zero)
                    }
                }
            case .oneway(_, .open(let interval)):
                let gap = flow.start ?? Self.drawDuration(interval, &streams[flowIndex, .arrivals])
                if gap < topology.duration {
                    simulation.schedule(
                        EventAction(kind: EventKind.arrival.rawValue, target: UInt32(flowIndex)), at: .zero + gap)
                }
            case .oneway(_, .closed):
                preconditionFailure("one-way flows are open loop")
            case .stream:
                guard let start = flow.start, start > .zero else {
                    startStream(flow: flowIndex, &simulation)
                    continue
                }
                if start < topology.duration {
                    simulation.schedule(
                        EventAction(kind: EventKind.arrival.rawValue, target: UInt32(flowIndex)), at: .zero + start)
                }
            case .injected:
                break  // driven from outside through inject(...)
            }
        }
    }

    public mutating func handle<Queue: EventQueue>(_ action: EventAction, in simulation: inout Simulation<Queue>) {
        switch EventKind(rawValue: action.kind) {
        case .arrival: openArrival(flow: Int(action.target), &simulation)
        case .callerStart: startCall(flow: Int(action.target), caller: Int(action.argument), &simulation)
        case .cpuDone: finishWork(Int32(action.argument), &simulation)
        case .segmentSent: segmentLeftNIC(half: Int(action.target), wireBytes: Int64(action.argument), &simulation)
        case .wireArrival: leaveWire(link: Int(action.target), &simulation)
        case .retransmissionTimer: retransmissionTimerFired(half: Int(action.target), &simulation)
        case .delayedAck: delayedAckFired(half: Int(action.target), &simulation)
        case .checkpoint: sampleBacklogs()
        case .ackProcessed: processArrivedAck(half: Int(action.target), &simulation)
        case .hopDone: hopDone(packet: Int32(action.argument), &simulation)
        case .sendDone: messageSent(Int32(action.argument), &simulation)
        case .receiveDone: messageReceived(Int32(action.argument), &simulation)
        case .serverDone: sendResponse(call: Int32(action.argument), &simulation)
        case .pacingTimer: pacingTimerFired(half: Int(action.target), &simulation)
        case .handshakeRetry: sendHandshake(call: Int32(action.argument), reply: false, &simulation)
        case .resumePacket:
            inlineDepth = 0
            advance(packet: Int32(action.argument), &simulation)
        case nil: preconditionFailure("unknown event kind \(action.kind)")
        }
    }

    /// Whether a closed-loop flow's calls would all take no time: every connection costs nothing,
    /// and think and server times are zero.
    func callsTakeNoTime(flow: Int, rpc: Flow.RPC, think: Distribution) -> Bool {
        guard case .constant(let pause) = think, pause < 0.5, case .constant(let serve) = rpc.serverTime, serve < 0.5
        else { return false }
        return flowConnections[flow].allSatisfy { costsNothing(connection: Int($0)) }
    }

    /// The longest time a draw may take (about 11.6 days, longer than any run: runs are at most
    /// 30 days) and the largest message: heavy tails (a Pareto of shape 0.1) draw values far past
    /// what integer time or memory can hold, and such a draw means "not within this run" or
    /// "as large as a message can be".
    static let longestDraw = 1e18
    static let largestMessage = Double(1 << 30)

    /// A draw of a time distribution, in whole picoseconds (0 up to `longestDraw`). Static, so
    /// that drawing from a stream held in `self` does not make the compiler copy `self` to keep
    /// accesses apart.
    static func drawDuration(_ distribution: Distribution, _ stream: inout RandomStream) -> SimDuration {
        SimDuration(picoseconds: Int64(saturating: clamped(distribution.sample(using: &stream), 0, longestDraw)))
    }

    /// A draw of a size distribution, in whole bytes (1 up to `largestMessage`).
    static func drawBytes(_ distribution: Distribution, _ stream: inout RandomStream) -> Int64 {
        Int64(saturating: clamped(distribution.sample(using: &stream), 1, largestMessage))
    }

    /// `value` rounded and held within `low...high`; NaN counts as `low`.
    static func clamped(_ value: Double, _ low: Double, _ high: Double) -> Double {
        value.isNaN ? low : min(max(value.rounded(), low), high)
    }

    var measuring: ClosedRange<SimTime> { warmupEnd...end }

    /// Notes each flow's backlog: messages started in the window, neither finished nor lost.
    mutating func sampleBacklogs() {
        #if NETLAB_INTERNAL_CHECKS
            checkConservation()
            checkPacers()
            precondition(
                streams.unusedStreamIsUntouched, "a flow drew from the shared stream of constants (FlowStreams)")
        #endif
        for index in tallies.indices {
            let tally = tallies[index]
            tallies[index].backlog.sample(tally.offeredMessages - tally.messages - tally.lostMessages)
        }
    }

    /// Every BBR half keeps one delivery stamp per segment in its window. (Checked at each
    /// checkpoint with internal checks compiled in.)
    func checkPacers() {
        for half in halves.indices where halves[half].pacer >= 0 {
            precondition(
                pacers[Int(halves[half].pacer)].stamps.count == halves[half].segments.count,
                "half \(half): \(pacers[Int(halves[half].pacer)].stamps.count) delivery stamps for \(halves[half].segments.count) segments"
            )
        }
    }

    /// Per flow, what the application offered in the window is delivered, lost, or still in
    /// flight: calls, and messages of no call, started in the window and not lost, counted in the
    /// pools. (Checked at each checkpoint with internal checks compiled in.)
    func checkConservation() {
        var inFlight = Array(repeating: Int64(0), count: tallies.count)
        for call in calls.liveRecords where call.start >= warmupEnd { inFlight[Int(call.flow)] += 1 }
        for message in messages.liveRecords where message.start >= warmupEnd && !message.lost {
            switch message.kind {
            case .oneway, .chunk, .injected: inFlight[Int(message.flow)] += 1
            case .request, .response: break
            }
        }
        for (flow, tally) in tallies.enumerated() {
            precondition(
                tally.offeredMessages == tally.messages + tally.lostMessages + inFlight[flow],
                "flow \(topology.flows[flow].name): offered \(tally.offeredMessages), delivered \(tally.messages), lost \(tally.lostMessages), in flight \(inFlight[flow])"
            )
        }
    }
}
