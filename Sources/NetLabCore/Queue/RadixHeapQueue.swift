/// A binary radix heap: a monotone priority queue for integer keys (Ahuja, Mehlhorn, Orlin and Tarjan,
/// "Faster Algorithms for the Shortest Path Problem", J. ACM 37(2), 1990).
///
/// Events sit in 64 buckets by the highest bit in which their time differs from the time of the
/// last event removed (`last`): bucket 0 holds events at exactly `last`, bucket *b* those that
/// first differ in bit *b*−1. Removing the first event empties the lowest non-empty bucket into
/// lower ones, so each event moves at most 64 times and in practice a handful; inserting compares
/// no keys at all. Requires monotone time, which a simulation guarantees.
///
/// Equal times stay first-in first-out without comparing sequence numbers: events with one time
/// always share a bucket (their bucket depends only on the time and on `last`), buckets are
/// appended to and redistributed in order, a bucket is refilled only when it is empty, and bucket 0
/// is read from the front.
/// Each bucket keeps its earliest time up to date on every append, so a refill reads the source
/// bucket once. A variant with byte-sized digits (8 levels of 256 buckets, at most 8 moves per
/// event) was measured and lost at every size: its appends scatter over 2048 buckets and miss the
/// cache (figures in `Benchmarks/README.md`).
/// - Complexity: O(1) insert; O(log C) amortised removal, C the span of pending times.
public struct RadixHeapQueue: EventQueue {
    @usableFromInline var storage = RadixHeapStorage()
    /// Next unread event of bucket 0.
    @usableFromInline var head = 0
    /// Bit b set when bucket b (1...63) is non-empty; bucket 0 is tracked by its count and `head`.
    @usableFromInline var occupied: UInt64 = 0
    /// Time of the last event removed (and of the events in bucket 0), in picoseconds.
    @usableFromInline var last: UInt64 = 0
    @usableFromInline var storedCount = 0

    public init() {}

    public static var name: String { "radix-heap" }

    @inlinable public var count: Int { storedCount }

    public mutating func reserveCapacity(_ capacity: Int) {
        makeUnique()
        // Events spread over the buckets in proportions that depend on the span of pending times,
        // so only bucket 0 (which can hold them all, when all are at one time) gets the full amount;
        // the others start small and grow by doubling. Reserving the full amount everywhere was
        // measured no faster (Benchmarks/README.md) and would touch 64 times the memory.
        storage.reserve(bucket: 0, capacity: capacity)
        for bucket in 1..<RadixHeapStorage.bucketCount {
            storage.reserve(bucket: bucket, capacity: 256)
        }
    }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// The bucket of an event at `key` while `last` is the current time.
    @inlinable
    @inline(__always)
    static func bucket(of key: UInt64, last: UInt64) -> Int {
        let difference = key ^ last
        return 64 &- difference.leadingZeroBitCount
    }

    @inlinable
    public mutating func insert(_ event: ScheduledEvent) {
        let key = UInt64(bitPattern: event.time.picoseconds)
        precondition(key >= last, "radix heap: event inserted before the last one removed")
        makeUnique()
        let bucket = Self.bucket(of: key, last: last)
        storage.append(event, to: bucket)
        occupied |= (1 << UInt64(bucket)) & ~1
        storedCount &+= 1
        #if NETLAB_INTERNAL_CHECKS
            checkInvariants()
        #endif
    }

    @inlinable
    public mutating func removeFirst(notAfter limit: SimTime) -> ScheduledEvent? {
        guard limit.picoseconds >= 0, storedCount > 0 else { return nil }
        let limitKey = UInt64(limit.picoseconds)
        makeUnique()
        if head == storage.counts[0] {
            guard refillBucketZero(notAfter: limitKey) else { return nil }
        } else if last > limitKey {
            return nil
        }
        let event = storage.bases[0].unsafelyUnwrapped[head]
        head &+= 1
        if head == storage.counts[0] {
            head = 0
            storage.empty(bucket: 0)
        }
        storedCount &-= 1
        #if NETLAB_INTERNAL_CHECKS
            checkInvariants()
        #endif
        return event
    }

    /// Makes the earliest pending time the new `last` and moves the events of the lowest non-empty
    /// bucket down, those at the new `last` into bucket 0. Does nothing and returns false if that
    /// time is later than `limit`, so `last` never passes a time the caller may still schedule at.
    @inlinable
    mutating func refillBucketZero(notAfter limit: UInt64) -> Bool {
        let source = occupied.trailingZeroBitCount
        let events = storage.bases[source].unsafelyUnwrapped
        let count = storage.counts[source]
        let earliest = storage.minimums[source]
        guard earliest <= limit else { return false }
        last = earliest
        occupied &= ~(1 << UInt64(source))
        // Every event moves to a lower bucket, never back into `source`, so it can be read in place.
        for index in 0..<count {
            let event = events[index]
            let bucket = Self.bucket(of: UInt64(bitPattern: event.time.picoseconds), last: earliest)
            storage.append(event, to: bucket)
            occupied |= (1 << UInt64(bucket)) & ~1
        }
        storage.empty(bucket: source)
        return true
    }

    /// Lets an empty queue take events from `time` on, even if that is before the last event it
    /// gave out (for ``AdaptiveQueue``, which hands events back and forth).
    @usableFromInline
    mutating func restart(at time: Int64) {
        precondition(storedCount == 0 && time >= 0, "radix heap: restarted while holding events")
        makeUnique()
        head = 0
        storage.empty(bucket: 0)
        last = UInt64(time)
    }

    public func checkInvariants() {
        var total = storage.counts[0] - head
        precondition(total >= 0, "radix heap: bucket 0 read past its end")
        for index in head..<storage.counts[0] {
            precondition(
                UInt64(bitPattern: storage.bases[0]![index].time.picoseconds) == last,
                "radix heap: bucket 0 holds an event not at the current time")
        }
        for bucket in 1..<RadixHeapStorage.bucketCount {
            let count = storage.counts[bucket]
            precondition(
                (count == 0) == (occupied & (1 << UInt64(bucket)) == 0), "radix heap: occupancy mask out of date")
            var lastSequence: [Int64: UInt64] = [:]
            for index in 0..<count {
                let event = storage.bases[bucket]![index]
                precondition(
                    Self.bucket(of: UInt64(bitPattern: event.time.picoseconds), last: last) == bucket,
                    "radix heap: event in the wrong bucket")
                if let earlier = lastSequence[event.time.picoseconds] {
                    precondition(earlier < event.sequence, "radix heap: equal times out of insertion order")
                }
                lastSequence[event.time.picoseconds] = event.sequence
            }
            total += count
        }
        precondition(total == storedCount, "radix heap: an event was lost or duplicated")
    }
}
