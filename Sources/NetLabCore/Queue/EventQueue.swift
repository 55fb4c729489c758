/// A priority queue of events for a discrete-event simulation with monotone time.
///
/// Implementations return events in the total order (time, sequence), so that events at equal
/// times run in insertion order. They may rely on two facts the ``Simulation`` guarantees:
/// - no event is inserted earlier than the last one removed (time is monotone), and
/// - sequence numbers strictly increase from one insertion to the next.
///
/// Every implementation passes the same conformance suite (`EventQueueConformanceTests`).
public protocol EventQueue {
    /// An empty queue.
    init()

    /// A short name for reports and benchmarks, e.g. "radix-heap".
    static var name: String { get }

    /// Events in the queue.
    var count: Int { get }

    /// Adds `event`.
    /// - Precondition: `event` runs no earlier than the last event removed, and its sequence number
    ///   is larger than that of every event inserted before.
    mutating func insert(_ event: ScheduledEvent)

    /// Removes and returns the first event in (time, sequence) order if its time is at or before
    /// `limit`; returns nil (and changes nothing observable) if the queue is empty or the first
    /// event is later than `limit`.
    mutating func removeFirst(notAfter limit: SimTime) -> ScheduledEvent?

    /// Makes room for `capacity` events so that filling the queue to that size does not allocate.
    mutating func reserveCapacity(_ capacity: Int)

    /// Traps if the queue's internal structure is broken. Cheap enough for tests; compiled into
    /// every operation when the `NETLAB_INTERNAL_CHECKS` condition is set.
    func checkInvariants()
}

extension EventQueue {
    @inlinable
    public var isEmpty: Bool { count == 0 }

    /// Removes and returns the first event in (time, sequence) order, or nil if the queue is empty.
    @inlinable
    public mutating func removeFirst() -> ScheduledEvent? {
        removeFirst(notAfter: .distantFuture)
    }
}

/// The queue ``Simulation`` uses unless told otherwise: the radix heap, which wins the hold
/// benchmark at 1e5 and 1e6 pending events, behind a sorted inline array for the few events a
/// packet path keeps pending (see `Benchmarks/README.md`).
public typealias DefaultEventQueue = AdaptiveQueue
