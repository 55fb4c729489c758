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
}
