/// A growable first-in first-out buffer in one contiguous array, indexed from its front.
/// Grows by doubling and never shrinks, so a steady workload stops allocating. Its front and
/// count are 32-bit (a ring is 16 bytes): a cluster holds a million rings, none of which comes near
/// 2³¹ elements.
///
/// Slots hold plain values with no "empty" marker: a slot past the live range keeps its last
/// element (or the filler it was grown with) until it is overwritten. The rings of the engine hold
/// handles and times, so a stale slot holds no resource.
struct Ring<Element> {
    private var storage: ContiguousArray<Element> = []
    private var front: Int32 = 0
    private var length: Int32 = 0
    var count: Int { Int(length) }
    private var head: Int { Int(front) }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == storage.count { grow(filler: element) }
        storage[(head &+ count) & (storage.count &- 1)] = element
        length &+= 1
    }

    @inline(__always)
    mutating func removeFirst() -> Element {
        precondition(count > 0, "removeFirst on an empty ring")
        let element = storage[head]
        front = Int32(truncatingIfNeeded: (head &+ 1) & (storage.count &- 1))
        length &-= 1
        return element
    }

    var first: Element? { count > 0 ? storage[head] : nil }

    /// The element `offset` places from the front.
    subscript(offset: Int) -> Element {
        get { storage[(head &+ offset) & (storage.count &- 1)] }
        set { storage[(head &+ offset) & (storage.count &- 1)] = newValue }
    }

    /// Eight slots, or fewer (down to two) where eight would take more than 32 bytes: a cluster
    /// has hundreds of thousands of rings, most of which never hold more than one or two elements.
    private static var firstCapacity: Int {
        var capacity = 8
        while capacity > 2, capacity * MemoryLayout<Element>.stride > 32 { capacity /= 2 }
        return capacity
    }

    private mutating func grow(filler: Element) {
        let newCapacity = storage.isEmpty ? Self.firstCapacity : storage.count * 2
        precondition(newCapacity <= 1 << 30, "a ring past 2^30 elements")
        var newStorage = ContiguousArray<Element>(repeating: filler, count: newCapacity)
        for offset in 0..<count { newStorage[offset] = storage[(head + offset) & (storage.count - 1)] }
        storage = newStorage
        front = 0
    }
}
