import NetLabCore
import NetLabModel
import NetLabStats
import NetLabTrace

/// One grouping's replay: reads packets as they stream past, cuts them into messages per
/// conversation, and injects those into the grouping's simulation in time order.
///
/// A message's size is known only once the other side speaks (or the conversation ends), so the
/// simulation is held back to the earliest moment something still being read could have to be
/// injected: the start of a conversation's first message still open, and in causal mode, for a
/// conversation waiting on its next message, its last delivery plus the smallest gap the capture
/// can still show. Memory grows with the conversations open at once, not with the trace.
struct ReplaySession {
    /// A message cut from the capture.
    struct Captured {
        var fromA: Bool
        var bytes: Int64
        /// Captured times of its first and last packet (ns).
        var start: Int64
        var last: Int64
    }

    /// Messages longer than this, or spanning more than a second of capture, are injected in
    /// pieces, so that a long one-way transfer or a slow trickle does not hold the simulation
    /// (and with it every other conversation's messages) back until it ends.
    static let largestMessage: Int64 = 1 << 20
    static let longestMessage: Int64 = 1_000_000_000

    let plan: ReplayPlan
    let speed: Double
    let mode: ReplayMode
    let end: SimTime
    var run: GroupingRun
    var simulation = Simulation<DefaultEventQueue>(expectedPendingEvents: 4096)
    var scanner: ConversationScanner

    /// The messages being read.
    var open: OpenMessages
    /// Injections due, by time: kind 0 from A, 1 from B; target the conversation; argument the bytes.
    var due = QuaternaryHeapQueue()
    var sequence: UInt64 = 0
    /// Time of the last packet read, in capture nanoseconds.
    var readUpTo: Int64 = 0
    var packetsSinceAdvance = 0

    /// Request-to-reply times, captured and simulated.
    var exchanges: ExchangeTiming

    /// The application's own timing: captured times less the captured path's costs.
    var application: ApplicationTiming

    /// Causal mode: which message each conversation sends next, and when.
    var causal: CausalSchedule
    /// Set once the whole trace is read: no conversation waits for anything after that.
    var traceEnded = false

    var order: OrderCheck
    /// Where delivered messages are written, if anywhere.
    var output: DeliveredCapture?

    /// With `origin`, captured timings are corrected for what the captured path cost on each side
    /// of the capture point.
    init(
        plan: ReplayPlan, topology: Topology, grouping: Int, profile: CostProfile, seed: UInt64, speed: Double,
        mode: ReplayMode,
        linkType: Int32, format: CaptureFormat = .pcap, origin: CaptureOrigin? = nil, writer: TraceWriter? = nil
    ) {
        self.plan = plan
        self.speed = speed
        self.mode = mode
        end = .zero + topology.duration
        run = GroupingRun(topology: topology, grouping: grouping, profile: profile, seed: seed)
        // Deliveries are followed in both modes: for request-to-reply times, order checks and output.
        run.pausesOnDelivery = true
        output = writer.map { DeliveredCapture(writer: $0, plan: plan) }
        scanner = ConversationScanner(linkType: linkType, format: format)
        let conversations = plan.conversationFlow.count
        open = OpenMessages(conversations: conversations)
        exchanges = ExchangeTiming(conversations: conversations, flows: topology.flows.count)
        application = ApplicationTiming(
            origin: origin, topology: topology, profile: profile, seed: seed, largestMessage: Self.largestMessage)
        causal = CausalSchedule(conversations: conversations)
        order = OrderCheck(conversations: conversations)
        run.start(&simulation)
    }

    /// Simulated time of a captured instant: the first packet is time zero, then scaled by speed.
    func simulatedTime(_ nanoseconds: Int64) -> SimTime {
        let elapsed = max(0, nanoseconds - plan.firstTimestamp)
        return SimTime(
            picoseconds: speed == 1 ? elapsed * 1000 : Int64(saturating: (Double(elapsed) * 1000 / speed).rounded()))
    }

    func simulatedSpan(_ nanoseconds: Int64) -> SimDuration {
        simulatedSpan(picoseconds: max(0, nanoseconds) * 1000)
    }

    func simulatedSpan(picoseconds: Int64) -> SimDuration {
        SimDuration(
            picoseconds: speed == 1
                ? max(0, picoseconds) : Int64(saturating: (Double(max(0, picoseconds)) / speed).rounded()))
    }

    /// When the application started sending `message`: its captured start, less what the
    /// captured path charged before the capture point (with a capture origin).
    mutating func applicationStart(of message: Captured, conversation: Int) -> SimTime {
        let seen = simulatedTime(message.start)
        guard application.corrects else { return seen }
        let lead = application.costBeforeCapture(
            flow: Int(plan.conversationFlow[conversation]), fromServer: !message.fromA, bytes: message.bytes)
        return SimTime(picoseconds: max(0, seen.picoseconds - simulatedSpan(picoseconds: lead).picoseconds))
    }

    // MARK: Reading

    mutating func read(_ packet: CapturedPacket) {
        readUpTo = packet.timestampNanoseconds
        // A packet carries at most two headers (outer and tunnelled); take them, then act.
        var found: (TransportHeader, Int, Bool)?, alsoFound: (TransportHeader, Int, Bool)?
        _ = scanner.scan(packet) { header, conversation, fromA in
            if found == nil { found = (header, conversation, fromA) } else { alsoFound = (header, conversation, fromA) }
        }
        if let (header, conversation, fromA) = found {
            take(header, conversation: conversation, fromA: fromA, time: packet.timestampNanoseconds)
        }
        if let (header, conversation, fromA) = alsoFound {
            take(header, conversation: conversation, fromA: fromA, time: packet.timestampNanoseconds)
        }
        packetsSinceAdvance += 1
        if packetsSinceAdvance >= 256 {
            packetsSinceAdvance = 0
            advance(to: safeTime())
        }
    }

    /// Adds a header's payload to its conversation's message, cutting messages where the
    /// direction changes (and every UDP datagram is a message of its own).
    mutating func take(_ header: TransportHeader, conversation: Int, fromA: Bool, time: Int64) {
        guard conversation < plan.conversationFlow.count, plan.conversationFlow[conversation] >= 0,
            header.payloadLength > 0
        else { return }
        let bytes = Int64(header.payloadLength)
        if header.proto == .udp {
            finish(Captured(fromA: fromA, bytes: bytes, start: time, last: time), conversation: conversation)
            return
        }
        if let message = open[conversation],
            message.fromA != fromA || message.bytes >= Self.largestMessage || time - message.start > Self.longestMessage
                || separateWrite(
                    after: message, endsWrite: open.endsWrite(conversation), next: bytes, at: time,
                    conversation: conversation)
        {
            close(conversation)
        }
        open.add(
            bytes: bytes, fromA: fromA, at: time, endsWrite: header.tcpFlags & 0x08 != 0, conversation: conversation,
            injectedOnTime: mode == .open || !causal.hasStarted(conversation))
    }

    /// With a capture origin: whether a same-direction packet starts a write of its own rather than
    /// continuing the message: the last one ended a write (PSH), and the pause before this one is
    /// longer than the captured path takes to deliver the one and start the other, so the sender's
    /// application spent time in between (a server writing headers, then a body).
    mutating func separateWrite(
        after message: Captured, endsWrite: Bool, next bytes: Int64, at time: Int64, conversation: Int
    ) -> Bool {
        guard endsWrite, application.corrects else { return false }
        let flow = Int(plan.conversationFlow[conversation])
        let after = application.costAfterCapture(flow: flow, fromServer: !message.fromA, bytes: message.bytes)
        let before = application.costBeforeCapture(flow: flow, fromServer: !message.fromA, bytes: bytes)
        return (time - message.last) * 1000 > after + before
    }

    mutating func close(_ conversation: Int) {
        guard let message = open.close(conversation) else { return }
        finish(message, conversation: conversation)
    }

    /// A message is complete in the capture: note the captured exchange, and schedule it.
    mutating func finish(_ message: Captured, conversation: Int) {
        exchanges.captured(
            message, conversation: conversation, flow: Int(plan.conversationFlow[conversation]),
            application: &application)
        switch mode {
        case .open:
            schedule(message, conversation: conversation, at: applicationStart(of: message, conversation: conversation))
        case .causal:
            if !causal.hasStarted(conversation) {
                causal.start(message, conversation: conversation)
                schedule(
                    message, conversation: conversation, at: applicationStart(of: message, conversation: conversation))
            } else if causal.hold(message, conversation: conversation) {
                scheduleNext(conversation)
            }
        }
    }

    mutating func schedule(_ message: Captured, conversation: Int, at time: SimTime) {
        due.insert(
            ScheduledEvent(
                time: max(time, simulation.now), sequence: sequence,
                action: EventAction(
                    kind: message.fromA ? 0 : 1, target: UInt32(conversation), argument: UInt64(message.bytes))))
        sequence += 1
    }

    /// Causal mode: the next message of a conversation goes after the last delivery plus the gap
    /// the capture shows between the end of the previous message and its start.
    mutating func scheduleNext(_ conversation: Int) {
        guard let next = causal.takeNext(conversation) else { return }
        var gap = max(0, next.message.start - next.previousCapturedEnd) * 1000
        if let previous = next.previous {
            let idle = next.receiverLastSentEnd.map { max(0, previous.start - $0) * 1000 }
            gap = application.gap(
                captured: gap, after: previous, before: next.message, flow: Int(plan.conversationFlow[conversation]),
                receiverIdle: idle)
        }
        schedule(
            next.message, conversation: conversation, at: next.previousDelivery + simulatedSpan(picoseconds: gap))
    }

    /// The latest time the simulation may reach without passing an injection still unknown.
    mutating func safeTime() -> SimTime {
        let captureBound = simulatedTime(min(open.earliestOnTimeStart() ?? readUpTo, readUpTo))
        var bound = captureBound
        if mode == .causal, let offset = causal.earliestWaitingOffset() {
            // A waiting conversation's next message starts no earlier than the earliest message
            // still being read, or than the packet just read.
            let earliestNext = simulatedTime(min(open.earliestStart() ?? readUpTo, readUpTo))
            bound = min(bound, SimTime(picoseconds: offset + earliestNext.picoseconds))
        }
        return SimTime(picoseconds: max(0, bound.picoseconds - 1))
    }

    // MARK: Simulating

    /// Injects every due message up to `limit` in time order and runs the simulation to `limit`,
    /// reacting to deliveries in causal mode.
    mutating func advance(to requested: SimTime) {
        var limit = requested
        /// A delivery can leave a conversation waiting for a message not read yet; the simulation
        /// must then not pass the earliest time that message could be due.
        func handleAndRebound() {
            handleDeliveries()
            if mode == .causal, !traceEnded { limit = min(limit, safeTime()) }
        }
        while true {
            if let next = due.removeFirst(notAfter: limit) {
                if next.time > simulation.now {
                    if simulation.run(until: next.time, handler: &run) == .stopped {
                        // A delivery may make something due earlier: put this one back and look again.
                        due.insert(next)
                        handleAndRebound()
                        continue
                    }
                }
                inject(next)
                // Where nothing costs time, a message is delivered within `inject`, outside
                // `run`: its follow-up must be scheduled now, not at the next stop.
                handleAndRebound()
                continue
            }
            guard limit > simulation.now else { return }
            if simulation.run(until: limit, handler: &run) == .stopped {
                handleAndRebound()
                continue
            }
            return
        }
    }

    mutating func inject(_ event: ScheduledEvent) {
        let conversation = Int(event.action.target)
        let fromServer = event.action.kind == 1
        if !fromServer {
            exchanges.clientInjected(
                conversation: conversation, flow: Int(plan.conversationFlow[conversation]), now: simulation.now)
        }
        order.injected(conversation: conversation, fromServer: fromServer)
        run.inject(
            flow: Int(plan.conversationFlow[conversation]), conversation: conversation, fromServer: fromServer,
            bytes: Int64(event.action.argument), &simulation)
    }

    mutating func handleDeliveries() {
        for delivery in run.takeDeliveries() {
            let conversation = delivery.conversation
            order.delivered(conversation: conversation)
            output?.write(
                delivery.bytes, conversation: conversation, fromServer: delivery.fromServer, at: delivery.time)
            if delivery.fromServer { exchanges.serverDelivered(conversation: conversation, at: delivery.time) }
            guard mode == .causal else { continue }
            let capturedEnd = causal.delivered(conversation, at: delivery.time)
            if !causal.hasPending(conversation) {
                guard !traceEnded else { continue }
                // The correction can bring the next message forward by at most this much.
                let lead = simulatedSpan(
                    picoseconds: application.largestCorrection[Int(plan.conversationFlow[conversation])]
                )
                .picoseconds
                causal.wait(
                    conversation,
                    offset: delivery.time.picoseconds - simulatedTime(capturedEnd).picoseconds - lead)
            } else {
                scheduleNext(conversation)
            }
        }
    }

    /// The trace has ended: every message is known; inject the rest and run to the end.
    mutating func finish() -> GroupingOutcome {
        for conversation in open.openConversations { close(conversation) }
        traceEnded = true
        causal.stopWaiting()
        advance(to: end)
        for conversation in 0..<plan.conversationFlow.count where plan.conversationFlow[conversation] >= 0 {
            let flow = Int(plan.conversationFlow[conversation])
            exchanges.endCaptured(conversation, flow: flow, application: &application)
            exchanges.endSimulated(conversation, flow: flow)
        }
        return GroupingOutcome(
            result: run.currentResult(events: simulation.executedEvents), captured: exchanges.captured,
            capturedAtApplication: exchanges.capturedAtApplication, simulatedExchanges: exchanges.simulated,
            applicationGaps: application.gaps, negativeGaps: application.negativeGaps,
            orderViolations: order.violations)
    }
}
