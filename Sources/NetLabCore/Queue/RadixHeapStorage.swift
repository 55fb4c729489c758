/// The buckets of a ``RadixHeapQueue``: 64 lists of page-sized chunks of events, the chunks shared
/// by all buckets and returned to a free list when a bucket is emptied.
///
/// Why chunks: every event passes through several buckets on its way to bucket 0, and a bucket
/// that once held most of the pending events would keep that memory if it were an array of its
/// own. With 64 such arrays a queue held up to six times its pending events (82 MB for a
/// 100,000-flow cluster); with shared chunks it holds its pending events plus at most one partly
/// filled (or empty) chunk per bucket.
///
/// A chunk is 4 KiB, aligned to 4 KiB: its first 32 bytes link it to the next chunk of its list,
/// the other 127 slots hold events. A bucket is known by the slot its next event goes to, so an
/// append is one store and one pointer step, and a write position on a 4 KiB boundary (a full
/// chunk, or none) is the one case that takes a chunk. Chunks are allocated in blocks that are
/// kept until the queue is freed, so a queue of steady size stops allocating and its events never
/// move. Every property is a `let` (the pointees change, the pointers never do), so the hot path
/// pays no dynamic exclusivity checks.
@usableFromInline
final class RadixHeapStorage {
    /// Times are non-negative, so bit 63 never differs and buckets 0...63 suffice.
    @usableFromInline static let bucketCount = 64
    @usableFromInline static let chunkBytes = 4096
    /// Chunks (1 MiB) past which the queue grows by a quarter rather than doubling: a 10,000-flow
    /// cluster's queue peaks at a few megabytes, and doubling to there left a megabyte unused.
    @usableFromInline static let quarterGrowthFrom = 256
    /// Event slots per chunk (the first 32 bytes hold the link).
    @usableFromInline static let eventsPerChunk = chunkBytes / MemoryLayout<ScheduledEvent>.stride - 1

    /// Where each bucket's next event goes; nil for a bucket without chunks.
    @usableFromInline let writes: UnsafeMutablePointer<UnsafeMutablePointer<ScheduledEvent>?>
    /// Each bucket's first chunk (nil when it has none).
    @usableFromInline let firsts: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    /// The earliest time (as UInt64 picoseconds) in each bucket, `UInt64.max` when empty, kept up
    /// on every append so that refilling needs no separate pass to find it.
    @usableFromInline let minimums: UnsafeMutablePointer<UInt64>
    /// Bucket 0's next unread event (one cell; nil when bucket 0 has no chunks).
    @usableFromInline let read: UnsafeMutablePointer<UnsafeMutablePointer<ScheduledEvent>?>
    /// Free chunks, a stack (one cell: its base; a stack rather than a list through the chunks,
    /// whose links would be a cache miss to read on every chunk taken).
    @usableFromInline let free: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutableRawPointer>>
    /// Chunks on the free stack (one cell).
    @usableFromInline let freeCount: UnsafeMutablePointer<Int>
    /// Blocks of chunks allocated, each `chunks` long, freed with the storage.
    @usableFromInline let blocks: UnsafeMutablePointer<[(base: UnsafeMutableRawPointer, chunks: Int)]>

    @usableFromInline
    init() {
        precondition(MemoryLayout<ScheduledEvent>.stride == 32, "radix heap: chunks are laid out for 32-byte events")
        writes = .allocate(capacity: Self.bucketCount)
        writes.initialize(repeating: nil, count: Self.bucketCount)
        firsts = .allocate(capacity: Self.bucketCount)
        firsts.initialize(repeating: nil, count: Self.bucketCount)
        minimums = .allocate(capacity: Self.bucketCount)
        minimums.initialize(repeating: .max, count: Self.bucketCount)
        read = .allocate(capacity: 1)
        read.initialize(to: nil)
        free = .allocate(capacity: 1)
        free.initialize(to: .allocate(capacity: 0))
        freeCount = .allocate(capacity: 1)
        freeCount.initialize(to: 0)
        blocks = .allocate(capacity: 1)
        blocks.initialize(to: [])
    }

    /// A deep copy, for copy-on-write.
    @usableFromInline
    func copy() -> RadixHeapStorage {
        let copy = RadixHeapStorage()
        copy.reserve(chunks: chunkCapacity)
        for bucket in 0..<Self.bucketCount {
            forEach(inBucket: bucket) { copy.append($0, to: bucket) }
            copy.minimums[bucket] = minimums[bucket]
        }
        copy.read.pointee = copy.firsts[0].map { Self.firstSlot(of: $0) }
        return copy
    }

    deinit {
        for block in blocks.pointee { block.base.deallocate() }
        blocks.deinitialize(count: 1)
        blocks.deallocate()
        writes.deallocate()
        firsts.deallocate()
        minimums.deallocate()
        read.deallocate()
        free.pointee.deallocate()
        free.deallocate()
        freeCount.deallocate()
    }

    @inlinable
    @inline(__always)
    static func firstSlot(of chunk: UnsafeMutableRawPointer) -> UnsafeMutablePointer<ScheduledEvent> {
        (chunk + MemoryLayout<ScheduledEvent>.stride).assumingMemoryBound(to: ScheduledEvent.self)
    }

    /// True at a chunk's end (its slots are full), and for nil.
    @inlinable
    @inline(__always)
    static func isChunkEnd(_ slot: UnsafeMutablePointer<ScheduledEvent>?) -> Bool {
        UInt(bitPattern: slot) & UInt(chunkBytes &- 1) == 0
    }

    /// The chunk holding `slot` (which must not be a chunk's end).
    @inlinable
    @inline(__always)
    static func chunk(holding slot: UnsafeMutablePointer<ScheduledEvent>) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: slot) & ~UInt(chunkBytes &- 1)).unsafelyUnwrapped
    }

    @inlinable
    @inline(__always)
    static func next(after chunk: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        chunk.load(as: UnsafeMutableRawPointer?.self)
    }

    @inlinable
    @inline(__always)
    static func link(_ chunk: UnsafeMutableRawPointer, to next: UnsafeMutableRawPointer?) {
        chunk.storeBytes(of: next, as: UnsafeMutableRawPointer?.self)
    }

    @inlinable
    @inline(__always)
    func append(_ event: ScheduledEvent, to bucket: Int) {
        var slot = writes[bucket]
        if Self.isChunkEnd(slot) { slot = addChunk(to: bucket) }
        let target = slot.unsafelyUnwrapped
        target.initialize(to: event)
        writes[bucket] = target + 1
        minimums[bucket] = min(minimums[bucket], UInt64(bitPattern: event.time.picoseconds))
    }

    /// Links a free chunk (allocating a block of them if none is free) to the end of `bucket` and
    /// returns its first slot. The queue doubles up to 1 MiB, then grows by a quarter at a time: a
    /// cluster's queue holds tens of megabytes, and a block is never returned, so what doubling
    /// leaves unused (up to half) would be held to the end; below, doubling keeps the blocks few.
    @usableFromInline
    func addChunk(to bucket: Int) -> UnsafeMutablePointer<ScheduledEvent> {
        if freeCount.pointee == 0 {
            let capacity = chunkCapacity
            reserve(chunks: max(16, capacity >= Self.quarterGrowthFrom ? capacity / 4 : capacity))
        }
        freeCount.pointee &-= 1
        let chunk = free.pointee[freeCount.pointee]
        Self.link(chunk, to: nil)
        if let last = writes[bucket] {
            Self.link(Self.chunk(holding: last - 1), to: chunk)
        } else {
            firsts[bucket] = chunk
            if bucket == 0 { read.pointee = Self.firstSlot(of: chunk) }
        }
        return Self.firstSlot(of: chunk)
    }

    /// Returns bucket 0's first chunk, which its reads have passed and which has another after
    /// it, to the free list; returns the next chunk's first slot.
    @inlinable
    @inline(__always)
    func dropFirstChunkOfBucketZero() -> UnsafeMutablePointer<ScheduledEvent> {
        let chunk = firsts[0].unsafelyUnwrapped
        let next = Self.next(after: chunk).unsafelyUnwrapped
        firsts[0] = next
        release(chunk)
        return Self.firstSlot(of: next)
    }

    /// Forgets the contents of `bucket`, returning its chunks but the first to the free list: a
    /// bucket keeps one chunk once it has had one, so that a bucket refilled again and again (each
    /// refill moves a few events at small queue sizes) does not take a chunk every time.
    @inlinable
    @inline(__always)
    func empty(bucket: Int) {
        if let first = firsts[bucket] {
            var chunk = Self.next(after: first)
            while let current = chunk {
                chunk = Self.next(after: current)
                release(current)
            }
            reset(bucket: bucket)
        }
        minimums[bucket] = .max
    }

    /// Marks `bucket` empty, with its first chunk only (the caller has returned the others).
    @inlinable
    @inline(__always)
    func reset(bucket: Int) {
        let first = firsts[bucket].unsafelyUnwrapped
        Self.link(first, to: nil)
        writes[bucket] = Self.firstSlot(of: first)
        if bucket == 0 { read.pointee = writes[0] }
        minimums[bucket] = .max
    }

    @inlinable
    @inline(__always)
    func release(_ chunk: UnsafeMutableRawPointer) {
        free.pointee[freeCount.pointee] = chunk
        freeCount.pointee &+= 1
    }

    /// Adds `chunks` free chunks in one block.
    @usableFromInline
    func reserve(chunks: Int) {
        guard chunks > 0 else { return }
        let base = UnsafeMutableRawPointer.allocate(byteCount: chunks * Self.chunkBytes, alignment: Self.chunkBytes)
        let total = chunkCapacity + chunks
        let stack = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: total)
        stack.moveInitialize(from: free.pointee, count: freeCount.pointee)
        free.pointee.deallocate()
        free.pointee = stack
        // Lowest addresses on top, so that a new queue fills its block in order.
        for index in (0..<chunks).reversed() { release(base + index * Self.chunkBytes) }
        blocks.pointee.append((base, chunks))
    }

    /// Chunks allocated (in use or free): the queue's memory is this × 4 KiB.
    @usableFromInline var chunkCapacity: Int { blocks.pointee.reduce(0) { $0 + $1.chunks } }

    /// Chunks on the free stack.
    var freeChunkCount: Int { freeCount.pointee }

    /// Chunks that `bucket` holds (for bucket 0, from the one being read on).
    func chunkCount(inBucket bucket: Int) -> Int {
        var count = 0
        var chunk = firsts[bucket]
        while let current = chunk {
            count += 1
            chunk = Self.next(after: current)
        }
        return count
    }

    /// Calls `body` with each event of `bucket` in order (bucket 0's from its next unread one).
    func forEach(inBucket bucket: Int, _ body: (ScheduledEvent) -> Void) {
        guard let end = writes[bucket], var slot = bucket == 0 ? read.pointee : firsts[bucket].map(Self.firstSlot)
        else { return }
        while slot != end {
            body(slot.pointee)
            slot += 1
            if Self.isChunkEnd(slot), slot != end {
                let next = Self.next(after: Self.chunk(holding: slot - 1))
                precondition(next != nil, "radix heap: a bucket's chunks end before its last event")
                slot = Self.firstSlot(of: next.unsafelyUnwrapped)
            }
        }
    }
}
