/// An implicit 4-ary min-heap of events in one contiguous array.
///
/// A 4-ary heap halves the depth of a binary heap and keeps a node's children in one or two cache
/// lines, so it beats a binary heap once the heap outgrows the cache (LaMarca and Ladner, "The
/// Influence of Caches on the Performance of Heaps", 1996). It needs no monotone time, which makes
/// it the reference implementation the radix heap is checked against.
/// - Complexity: O(log₄ n) insert and removal.
public struct QuaternaryHeapQueue: EventQueue {
    @usableFromInline var storage: ContiguousArray<ScheduledEvent> = []

    public init() {}

    public static var name: String { "4-ary-heap" }

    @inlinable public var count: Int { storage.count }

    /// The event that `removeFirst` would return, without removing it.
    @inlinable public var first: ScheduledEvent? { storage.first }

    public mutating func reserveCapacity(_ capacity: Int) {
        storage.reserveCapacity(capacity)
    }

    @inlinable
    public mutating func insert(_ event: ScheduledEvent) {
        storage.append(event)
        storage.withUnsafeMutableBufferPointer { heap in
            // Move the hole up from the new leaf until its parent runs before the event.
            var hole = heap.count - 1
            while hole > 0 {
                let parent = (hole - 1) >> 2
                guard event.runsBefore(heap[parent]) else { break }
                heap[hole] = heap[parent]
                hole = parent
            }
            heap[hole] = event
        }
        #if NETLAB_INTERNAL_CHECKS
            checkInvariants()
        #endif
    }

    @inlinable
    public mutating func removeFirst(notAfter limit: SimTime) -> ScheduledEvent? {
        guard let first = storage.first, first.time <= limit else { return nil }
        let last = storage.removeLast()
        guard !storage.isEmpty else { return first }
        storage.withUnsafeMutableBufferPointer { heap in
            // Move the hole down from the root, always to the child that runs first, until `last` fits.
            let count = heap.count
            var hole = 0
            while true {
                let firstChild = hole << 2 + 1
                guard firstChild < count else { break }
                var best = firstChild
                let end = min(firstChild + 4, count)
                var child = firstChild + 1
                while child < end {
                    if heap[child].runsBefore(heap[best]) { best = child }
                    child += 1
                }
                guard heap[best].runsBefore(last) else { break }
                heap[hole] = heap[best]
                hole = best
            }
            heap[hole] = last
        }
        #if NETLAB_INTERNAL_CHECKS
            checkInvariants()
        #endif
        return first
    }

    public func checkInvariants() {
        for index in storage.indices.dropFirst() {
            let parent = (index - 1) >> 2
            precondition(!storage[index].runsBefore(storage[parent]), "4-ary heap order broken at \(index)")
        }
    }
}
