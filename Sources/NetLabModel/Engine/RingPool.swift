/// First-in first-out queues of many owners kept in one shared array: the rings of every TCP
/// connection half (its segments, unsent messages, send order, arriving ACKs, reassembly flags and
/// blocked writes) and of every lane.
///
/// A cluster holds hundreds of thousands of connection halves, and nearly all of them are idle at
/// any instant: a ring of its own per half (``Ring``) keeps the most the half ever held, plus an
/// array header and a heap block, for the whole run, so memory grew with the number of flows and
/// with simulated time (a rare burst left its large buffer behind). Here a ring holds a block of
/// the pool only while it holds elements: the block goes back to the pool's free list when the
/// ring empties, and the next append takes one of the smallest size again. What the pool keeps is
/// therefore what the halves hold at once at the busiest instant, not the sum of every half's
/// busiest instant (a ring that never empties, such as a bulk stream's window, keeps the largest
/// block it grew to). Blocks are powers of two, one free list per size, so a steady run stops
/// growing the pool and allocates nothing.
///
/// A ring is a ``PooledRing`` handle stored by its owner; every operation takes the handle
/// `inout` (or by value to read), so an owner in an array is updated in place.
struct RingPool<Element> {
    private var slots = ContiguousArray<Element>()
    /// Per size class (capacity 2^class), the first slots of the free blocks of that size.
    private var freeBlocks: [[Int32]] = Array(repeating: [], count: 31)

    /// The capacity of a ring's first block: eight, or fewer (down to two) where eight would take
    /// more than 32 bytes.
    private static var firstCapacity: Int32 {
        var capacity: Int32 = 8
        while capacity > 2, Int(capacity) * MemoryLayout<Element>.stride > 32 { capacity /= 2 }
        return capacity
    }

    /// Slots the pool holds (live and free), for tests and memory accounting.
    var slotCount: Int { slots.count }

    @inline(__always)
    mutating func append(_ element: Element, to ring: inout PooledRing) {
        if ring.length == ring.capacity { grow(&ring, filler: element) }
        slots[ring.slot(ring.length)] = element
        ring.length &+= 1
    }

    /// Takes the oldest element off `ring`; an emptied ring gives its block back.
    @inline(__always)
    mutating func removeFirst(from ring: inout PooledRing) -> Element {
        precondition(ring.length > 0, "removeFirst on an empty ring")
        let element = slots[ring.slot(0)]
        ring.length &-= 1
        if ring.length == 0 {
            release(&ring)
        } else {
            ring.head = (ring.head &+ 1) & (ring.capacity &- 1)
        }
        return element
    }

    /// Removes every element of `ring` and gives its block back.
    mutating func removeAll(from ring: inout PooledRing) {
        if ring.capacity > 0 { release(&ring) }
    }

    func first(of ring: PooledRing) -> Element? {
        ring.length > 0 ? slots[ring.slot(0)] : nil
    }

    /// The element `offset` places from the front of `ring`.
    subscript(ring: PooledRing, offset: Int) -> Element {
        @inline(__always) get {
            checkOffset(offset, in: ring)
            return slots[ring.slot(Int32(truncatingIfNeeded: offset))]
        }
        @inline(__always) set {
            checkOffset(offset, in: ring)
            slots[ring.slot(Int32(truncatingIfNeeded: offset))] = newValue
        }
    }

    @inline(__always)
    private func checkOffset(_ offset: Int, in ring: PooledRing) {
        #if NETLAB_INTERNAL_CHECKS
            precondition(offset >= 0 && offset < ring.count, "ring offset \(offset) outside 0..<\(ring.count)")
        #endif
    }

    private mutating func release(_ ring: inout PooledRing) {
        freeBlocks[ring.capacity.trailingZeroBitCount].append(ring.base)
        ring = PooledRing()
    }

    /// Moves `ring` to a block twice its size (or gives it its first block), taking a free one
    /// where there is one; new slots are filled with `filler` and never read before written.
    @inline(never)
    private mutating func grow(_ ring: inout PooledRing, filler: Element) {
        precondition(ring.capacity < 1 << 30, "a ring past 2^30 elements")
        let capacity = ring.capacity == 0 ? Self.firstCapacity : ring.capacity * 2
        let sizeClass = capacity.trailingZeroBitCount
        let base: Int32
        if let reused = freeBlocks[sizeClass].popLast() {
            base = reused
        } else {
            precondition(slots.count <= Int(Int32.max) - Int(capacity), "a ring pool past 2^31 slots")
            base = Int32(slots.count)
            slots.append(contentsOf: repeatElement(filler, count: Int(capacity)))
        }
        for offset in 0..<ring.length { slots[Int(base + offset)] = slots[ring.slot(offset)] }
        if ring.capacity > 0 { freeBlocks[ring.capacity.trailingZeroBitCount].append(ring.base) }
        ring.base = base
        ring.head = 0
        ring.capacity = capacity
    }
}

/// One queue in a ``RingPool``: where its block is, its front within the block and how many
/// elements it holds. Empty rings hold no block. 16 bytes, like a ``Ring``.
struct PooledRing {
    fileprivate var base: Int32 = 0
    fileprivate var head: Int32 = 0
    fileprivate var length: Int32 = 0
    fileprivate var capacity: Int32 = 0

    var count: Int { Int(length) }
    var isEmpty: Bool { length == 0 }

    /// The pool slot of the element `offset` places from the front.
    @inline(__always)
    fileprivate func slot(_ offset: Int32) -> Int {
        Int(base &+ ((head &+ offset) & (capacity &- 1)))
    }
}
