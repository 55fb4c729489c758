/// A discrete-event simulation: a clock, a queue of pending events and the loop that runs them.
///
/// An instance is passed explicitly to whatever schedules events; there is no global simulator.
/// Events are ``EventAction`` values, dispatched to an ``EventHandler`` by their `kind`, so that a
/// steady-state run performs no allocation, closure capture or reference counting per event.
///
/// Order: events run by time, and events at equal times in the order they were scheduled.
/// Cancellation is lazy and O(1): a cancelled event stays queued and is skipped when reached.
public struct Simulation<Queue: EventQueue> {
    /// The current simulated time: the time of the event being run, or of the last one run.
    @inlinable public var now: SimTime { clock }

    /// Events run so far (cancelled events are not counted).
    @inlinable public var executedEvents: UInt64 { executed }

    @usableFromInline var clock: SimTime = .zero
    @usableFromInline var executed: UInt64 = 0

    @usableFromInline var queue: Queue
    @usableFromInline var nextSequence: UInt64 = 0
    /// The (time, sequence) of the last event taken from the queue. Events run in that order, so
    /// every event ordered at or before it has already run or been skipped.
    @usableFromInline var lastTaken = EventID(time: SimTime(picoseconds: -1), sequence: 0)
    /// Sequence numbers of cancelled events still in the queue.
    @usableFromInline var cancelled: Set<UInt64> = []
    @usableFromInline var stopRequested = false

    /// A simulation at time zero with no events, with room for `expectedPendingEvents`.
    public init(expectedPendingEvents: Int = 1024) {
        queue = Queue()
        queue.reserveCapacity(expectedPendingEvents)
        cancelled.reserveCapacity(64)
    }

    /// Events scheduled and neither run nor cancelled.
    public var pendingEvents: Int { queue.count - cancelled.count }

    /// Schedules `action` to run at `time`.
    /// - Precondition: `time` is not before ``now``.
    @inlinable
    @discardableResult
    public mutating func schedule(_ action: EventAction, at time: SimTime) -> EventID {
        precondition(time >= now, "event scheduled in the past: \(time) < \(now)")
        let id = EventID(time: time, sequence: nextSequence)
        nextSequence &+= 1
        queue.insert(ScheduledEvent(time: time, sequence: id.sequence, action: action))
        return id
    }

    /// Schedules `action` to run `delay` after ``now``.
    /// - Precondition: `delay` is not negative.
    @inlinable
    @discardableResult
    public mutating func schedule(_ action: EventAction, after delay: SimDuration) -> EventID {
        schedule(action, at: now + delay)
    }

    /// Cancels a pending event. Returns false, and changes nothing, if it has already run or was
    /// already cancelled.
    /// - Complexity: O(1).
    @discardableResult
    public mutating func cancel(_ event: EventID) -> Bool {
        let alreadyTaken =
            event.time < lastTaken.time
            || (event.time == lastTaken.time && event.sequence <= lastTaken.sequence)
        guard !alreadyTaken, event.sequence < nextSequence else { return false }
        return cancelled.insert(event.sequence).inserted
    }

    /// Makes ``run(until:handler:)`` return after the event being run.
    public mutating func stop() {
        stopRequested = true
    }

    /// Why ``run(until:handler:)`` returned.
    public enum RunOutcome: Equatable, Sendable {
        /// No events were left; the clock stands at the limit if one was given, else at the last event.
        case drained
        /// The next event lies after the limit; the clock stands at the limit.
        case reachedLimit
        /// A handler called ``stop()``; the clock stands at that event's time.
        case stopped
    }

    /// Runs events in order until none is left, the next one is later than `limit`, or a handler
    /// calls ``stop()``. Events at exactly `limit` run.
    @inlinable
    @discardableResult
    public mutating func run<Handler: EventHandler>(
        until limit: SimTime = .distantFuture, handler: inout Handler
    ) -> RunOutcome {
        stopRequested = false
        while let event = queue.removeFirst(notAfter: limit) {
            #if NETLAB_INTERNAL_CHECKS
                precondition(event.time >= now, "time went backwards")
            #endif
            lastTaken = EventID(time: event.time, sequence: event.sequence)
            if !cancelled.isEmpty, cancelled.remove(event.sequence) != nil { continue }
            clock = event.time
            executed &+= 1
            handler.handle(event.action, in: &self)
            if stopRequested { return .stopped }
        }
        if limit != .distantFuture, limit > clock { clock = limit }
        return queue.count == cancelled.count ? .drained : .reachedLimit
    }
}

/// Whatever reacts to events: a model, or a benchmark. Dispatches on `action.kind`.
public protocol EventHandler {
    mutating func handle<Queue: EventQueue>(_ action: EventAction, in simulation: inout Simulation<Queue>)
}
