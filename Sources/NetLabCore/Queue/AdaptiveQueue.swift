/// A queue for any number of pending events: a small sorted array held inline while at most
/// `smallCapacity` events are pending, a ``RadixHeapQueue`` past that.
///
/// Packet-level models often keep only a handful of events pending (one per busy link or
/// source: wires schedule only their oldest packet), and there a radix heap spends most of its
/// time moving events between buckets. A sorted inline array does the same job in a few compares,
/// with no heap memory and no copy-on-write check. When more events are pending they move into
/// the radix heap, and back when no more than `returnThreshold` are left, so a run that bursts and
/// settles pays for neither structure's weak side for long.
///
/// Equal times stay first-in first-out: the array is kept in (time, sequence) order and the radix
/// heap keeps insertion order within a time.
public struct AdaptiveQueue: EventQueue {
    @usableFromInline static let smallCapacity = 32
    @usableFromInline static let returnThreshold = 8

    /// Pending events while `inHeap` is false, latest first, so that the earliest is removed from
    /// the end.
    @usableFromInline var small = InlineArray<32, ScheduledEvent>(
        repeating: ScheduledEvent(time: .zero, sequence: 0, action: EventAction(kind: 0)))
    @usableFromInline var smallCount = 0
    @usableFromInline var inHeap = false
    @usableFromInline var heap = RadixHeapQueue()
    /// Time of the last event removed: every pending event is at or after it.
    @usableFromInline var lastRemoved: Int64 = 0

    public init() {}

    public static var name: String { "adaptive" }

    @inlinable public var count: Int { inHeap ? heap.count : smallCount }

    public mutating func reserveCapacity(_ capacity: Int) {
        if capacity > Self.smallCapacity { heap.reserveCapacity(capacity) }
    }

    @inlinable
    public mutating func insert(_ event: ScheduledEvent) {
        if inHeap {
            heap.insert(event)
            return
        }
        if smallCount == Self.smallCapacity {
            moveIntoHeap()
            heap.insert(event)
            return
        }
        // Events that run before the new one sit at the end; move them up one place.
        var index = smallCount
        while index > 0, small[index &- 1].runsBefore(event) {
            small[index] = small[index &- 1]
            index &-= 1
        }
        small[index] = event
        smallCount &+= 1
        #if NETLAB_INTERNAL_CHECKS
            checkInvariants()
        #endif
    }

    @inlinable
    @inline(__always)
    public mutating func removeFirst(notAfter limit: SimTime) -> ScheduledEvent? {
        if inHeap {
            guard let event = heap.removeFirst(notAfter: limit) else { return nil }
            lastRemoved = event.time.picoseconds
            if heap.count <= Self.returnThreshold { moveOutOfHeap() }
            return event
        }
        guard smallCount > 0, small[smallCount &- 1].time <= limit else { return nil }
        smallCount &-= 1
        let event = small[smallCount]
        lastRemoved = event.time.picoseconds
        return event
    }

    /// Hands every pending event to the radix heap, which starts at the last removed time.
    @usableFromInline
    mutating func moveIntoHeap() {
        heap.restart(at: lastRemoved)
        // Earliest first, so that equal times keep their order.
        for index in stride(from: smallCount - 1, through: 0, by: -1) { heap.insert(small[index]) }
        smallCount = 0
        inHeap = true
    }

    /// Takes the few events left in the radix heap back into the array.
    @usableFromInline
    mutating func moveOutOfHeap() {
        let left = heap.count
        for position in 0..<left {
            small[left - 1 - position] = heap.removeFirst()!
        }
        smallCount = left
        inHeap = false
    }

    public func checkInvariants() {
        if inHeap {
            precondition(smallCount == 0, "adaptive queue: events in both structures")
            heap.checkInvariants()
            return
        }
        precondition((0...Self.smallCapacity).contains(smallCount), "adaptive queue: count out of range")
        for index in 0..<smallCount {
            precondition(
                small[index].time.picoseconds >= lastRemoved, "adaptive queue: an event before the last one removed")
            if index > 0 {
                precondition(small[index].runsBefore(small[index - 1]), "adaptive queue: events out of order")
            }
        }
    }
}
