/// The buckets of a ``RadixHeapQueue``: 64 growable arrays of events in manually managed memory,
/// so that appending to a bucket and emptying one cost no uniqueness checks or Array bookkeeping.
///
/// Buckets grow by doubling and never shrink, so a queue of steady size stops allocating. Every
/// property is a `let` (the pointees change, the pointers never do), so the hot path pays no
/// dynamic exclusivity checks.
@usableFromInline
final class RadixHeapStorage {
    /// Times are non-negative, so bit 63 never differs and buckets 0...63 suffice.
    @usableFromInline static let bucketCount = 64
    @usableFromInline let bases: UnsafeMutablePointer<UnsafeMutablePointer<ScheduledEvent>?>
    @usableFromInline let counts: UnsafeMutablePointer<Int>
    @usableFromInline let capacities: UnsafeMutablePointer<Int>
    /// The earliest time (as UInt64 picoseconds) in each bucket, `UInt64.max` when empty, kept up
    /// on every append so that refilling needs no separate pass to find it.
    @usableFromInline let minimums: UnsafeMutablePointer<UInt64>

    @usableFromInline
    init() {
        bases = .allocate(capacity: Self.bucketCount)
        bases.initialize(repeating: nil, count: Self.bucketCount)
        counts = .allocate(capacity: Self.bucketCount)
        counts.initialize(repeating: 0, count: Self.bucketCount)
        capacities = .allocate(capacity: Self.bucketCount)
        capacities.initialize(repeating: 0, count: Self.bucketCount)
        minimums = .allocate(capacity: Self.bucketCount)
        minimums.initialize(repeating: .max, count: Self.bucketCount)
    }

    /// A deep copy, for copy-on-write.
    @usableFromInline
    func copy() -> RadixHeapStorage {
        let copy = RadixHeapStorage()
        for bucket in 0..<Self.bucketCount where capacities[bucket] > 0 {
            copy.reserve(bucket: bucket, capacity: capacities[bucket])
            copy.bases[bucket]!.initialize(from: bases[bucket]!, count: counts[bucket])
            copy.counts[bucket] = counts[bucket]
        }
        copy.minimums.update(from: minimums, count: Self.bucketCount)
        return copy
    }

    deinit {
        for bucket in 0..<Self.bucketCount { bases[bucket]?.deallocate() }
        bases.deallocate()
        counts.deallocate()
        capacities.deallocate()
        minimums.deallocate()
    }

    @inlinable
    @inline(__always)
    func append(_ event: ScheduledEvent, to bucket: Int) {
        let count = counts[bucket]
        if count == capacities[bucket] { grow(bucket: bucket) }
        (bases[bucket].unsafelyUnwrapped + count).initialize(to: event)
        counts[bucket] = count &+ 1
        minimums[bucket] = min(minimums[bucket], UInt64(bitPattern: event.time.picoseconds))
    }

    /// Forgets the contents of `bucket`, keeping its memory.
    @inlinable
    @inline(__always)
    func empty(bucket: Int) {
        counts[bucket] = 0
        minimums[bucket] = .max
    }

    @usableFromInline
    func grow(bucket: Int) {
        reserve(bucket: bucket, capacity: max(64, capacities[bucket] * 2))
    }

    /// Makes room for `capacity` events in `bucket`, keeping its contents.
    @usableFromInline
    func reserve(bucket: Int, capacity: Int) {
        guard capacity > capacities[bucket] else { return }
        let newBase = UnsafeMutablePointer<ScheduledEvent>.allocate(capacity: capacity)
        if let oldBase = bases[bucket] {
            newBase.moveInitialize(from: oldBase, count: counts[bucket])
            oldBase.deallocate()
        }
        bases[bucket] = newBase
        capacities[bucket] = capacity
    }
}
