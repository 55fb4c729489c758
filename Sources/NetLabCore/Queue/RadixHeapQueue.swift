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
    /// Bit b set when bucket b (1...63) is non-empty; bucket 0 by its read and write positions.
    @usableFromInline var occupied: UInt64 = 0
    /// Time of the last event removed (and of the events in bucket 0), in picoseconds.
    @usableFromInline var last: UInt64 = 0
    @usableFromInline var storedCount = 0

    public init() {}

    public static var name: String { "radix-heap" }

    @inlinable public var count: Int { storedCount }

    public mutating func reserveCapacity(_ capacity: Int) {
        makeUnique()
        // Room for `capacity` events plus one partly filled chunk per bucket.
        let chunks =
            (capacity + RadixHeapStorage.eventsPerChunk - 1) / RadixHeapStorage.eventsPerChunk
            + RadixHeapStorage.bucketCount
        storage.reserve(chunks: chunks - storage.chunkCapacity)
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
    @inline(__always)
    public mutating func removeFirst(notAfter limit: SimTime) -> ScheduledEvent? {
        guard limit.picoseconds >= 0, storedCount > 0 else { return nil }
        let limitKey = UInt64(limit.picoseconds)
        makeUnique()
        var slot = storage.read.pointee
        if slot == storage.writes[0] {
            guard refillBucketZero(notAfter: limitKey) else { return nil }
            slot = storage.read.pointee
        } else if last > limitKey {
            return nil
        }
        let current = slot.unsafelyUnwrapped
        let event = current.pointee
        let next = current + 1
        if next == storage.writes[0] {
            storage.empty(bucket: 0)
        } else if RadixHeapStorage.isChunkEnd(next) {
            storage.read.pointee = storage.dropFirstChunkOfBucketZero()
        } else {
            storage.read.pointee = next
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
    @inline(never)
    mutating func refillBucketZero(notAfter limit: UInt64) -> Bool {
        let source = occupied.trailingZeroBitCount
        let earliest = storage.minimums[source]
        guard earliest <= limit else { return false }
        last = earliest
        occupied &= ~(1 << UInt64(source))
        // Every event moves to a lower bucket, never back into `source`, so it can be read in place;
        // each of the source's chunks goes back to the free list once read.
        let end = storage.writes[source].unsafelyUnwrapped
        let first = storage.firsts[source].unsafelyUnwrapped
        var chunk = Optional(first)
        while let current = chunk {
            // The link shares a cache line with the chunk's first event: read it before the events.
            chunk = RadixHeapStorage.next(after: current)
            var slot = RadixHeapStorage.firstSlot(of: current)
            let stop = chunk == nil ? end : slot + RadixHeapStorage.eventsPerChunk
            while slot != stop {
                let event = slot.pointee
                let bucket = Self.bucket(of: UInt64(bitPattern: event.time.picoseconds), last: earliest)
                storage.append(event, to: bucket)
                occupied |= (1 << UInt64(bucket)) & ~1
                slot += 1
            }
            // Read to its end: free for the appends that follow (the first stays with the bucket).
            if current != first { storage.release(current) }
        }
        storage.reset(bucket: source)
        return true
    }

    /// Lets an empty queue take events from `time` on, even if that is before the last event it
    /// gave out (for ``AdaptiveQueue``, which hands events back and forth).
    @usableFromInline
    mutating func restart(at time: Int64) {
        precondition(storedCount == 0 && time >= 0, "radix heap: restarted while holding events")
        makeUnique()
        storage.empty(bucket: 0)
        last = UInt64(time)
    }

    public func checkInvariants() {
        var total = 0
        var chunksInBuckets = 0
        for bucket in 0..<RadixHeapStorage.bucketCount {
            var count = 0
            var lastSequence: [Int64: UInt64] = [:]
            storage.forEach(inBucket: bucket) { event in
                count += 1
                precondition(
                    Self.bucket(of: UInt64(bitPattern: event.time.picoseconds), last: last) == bucket,
                    bucket == 0
                        ? "radix heap: bucket 0 holds an event not at the current time"
                        : "radix heap: event in the wrong bucket")
                if let earlier = lastSequence[event.time.picoseconds] {
                    precondition(earlier < event.sequence, "radix heap: equal times out of insertion order")
                }
                lastSequence[event.time.picoseconds] = event.sequence
            }
            precondition(
                count > 0 || storage.chunkCount(inBucket: bucket) <= 1, "radix heap: an empty bucket keeps chunks")
            if bucket > 0 {
                precondition(
                    (count == 0) == (occupied & (1 << UInt64(bucket)) == 0), "radix heap: occupancy mask out of date")
            }
            total += count
            chunksInBuckets += storage.chunkCount(inBucket: bucket)
        }
        precondition(total == storedCount, "radix heap: an event was lost or duplicated")
        precondition(
            chunksInBuckets + storage.freeChunkCount == storage.chunkCapacity, "radix heap: a chunk was lost or shared")
    }
}
