import Testing

@testable import NetLabCore

/// The radix heap's buckets share one slab of chunks, so its memory follows the events pending,
/// not the most each bucket ever held.
@Suite struct RadixHeapMemoryTests {
    #if NETLAB_INTERNAL_CHECKS
        // Every operation checks the whole queue there.
        static let scale = 10
    #else
        static let scale = 1
    #endif

    @Test func memoryFollowsThePendingEventsNotEachBucketsMost() {
        let pending = 3_000 / Self.scale
        var random = RandomStream(seed: 5)
        var queue = RadixHeapQueue()
        var sequence: UInt64 = 0
        func insert(at time: Int64) {
            queue.insert(
                ScheduledEvent(time: SimTime(picoseconds: time), sequence: sequence, action: EventAction(kind: 0)))
            sequence += 1
        }
        for _ in 0..<pending { insert(at: Int64(random.nextOpenUnit() * 1e9)) }
        // Hold operations over spans from a nanosecond to a second: events pass through every bucket.
        for step in 0..<200_000 / Self.scale {
            let event = queue.removeFirst()!
            let span = 1e3 * Double(1 << (step % 30))
            insert(at: event.time.picoseconds + Int64(random.nextOpenUnit() * span))
        }
        #expect(queue.count == pending)
        queue.checkInvariants()
        // In use at most: the pending events in whole chunks plus one partly filled chunk per
        // bucket; blocks of chunks double, so it may hold twice that.
        let perChunk = RadixHeapStorage.eventsPerChunk
        let mostInUse = (pending + perChunk - 1) / perChunk + RadixHeapStorage.bucketCount
        #expect(queue.storage.chunkCapacity <= 2 * mostInUse)
        // Draining and refilling to the same size takes no more memory.
        let capacity = queue.storage.chunkCapacity
        var now: Int64 = 0
        while let event = queue.removeFirst() { now = event.time.picoseconds }
        for _ in 0..<pending { insert(at: now + Int64(random.nextOpenUnit() * 1e9)) }
        #expect(queue.storage.chunkCapacity == capacity)
        queue.checkInvariants()
    }

    /// Past 4 MiB the queue grows by a quarter, not by doubling: just past the point where a
    /// doubling would have left half its chunks unused, at most a fifth are free.
    @Test(
        .disabled(
            if: scale > 1,
            "with internal checks every insert checks the whole queue: 130,000 of them would take hours"))
    func largeQueuesGrowByAQuarter() {
        var queue = RadixHeapQueue()
        var sequence: UInt64 = 0
        var inUse: Int { queue.storage.chunkCapacity - queue.storage.freeChunkCount }
        // All at one time past the first: every event lands in one bucket, one chunk after another.
        while inUse <= RadixHeapStorage.quarterGrowthFrom + 64 {
            queue.insert(
                ScheduledEvent(time: SimTime(picoseconds: 1_000), sequence: sequence, action: EventAction(kind: 0)))
            sequence += 1
        }
        let capacity = queue.storage.chunkCapacity
        #expect(capacity > RadixHeapStorage.quarterGrowthFrom)
        #expect(queue.storage.freeChunkCount * 5 <= capacity, "\(queue.storage.freeChunkCount) of \(capacity) free")
    }
}
