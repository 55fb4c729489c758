import NetLabCore

/// The smallest of one value per conversation, where values are set, changed and removed
/// often: a heap of every value ever set, with entries that are no longer current skipped when
/// they reach the top.
/// - Complexity: O(log n) amortised per change and per query.
struct LazyMinimum {
    private var heap = QuaternaryHeapQueue()
    /// The stamp of each conversation's current entry; 0 when it has none.
    private var stamps: [UInt64]
    private var nextStamp: UInt64 = 1

    init(count: Int) {
        stamps = Array(repeating: 0, count: count)
    }

    mutating func set(_ conversation: Int, to value: Int64) {
        stamps[conversation] = nextStamp
        heap.insert(
            ScheduledEvent(
                time: SimTime(picoseconds: value), sequence: nextStamp,
                action: EventAction(kind: 0, target: UInt32(conversation), argument: nextStamp)))
        nextStamp += 1
    }

    mutating func remove(_ conversation: Int) {
        stamps[conversation] = 0
    }

    /// The smallest current value, or nil if none is set.
    mutating func minimum() -> Int64? {
        while let top = heap.first {
            if stamps[Int(top.action.target)] == top.action.argument { return top.time.picoseconds }
            _ = heap.removeFirst()
        }
        return nil
    }
}
