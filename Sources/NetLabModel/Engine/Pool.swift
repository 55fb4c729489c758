/// Records addressed by `Int32` handles in one contiguous array, with freed handles reused first,
/// so that a steady simulation stops allocating: packets, messages, calls, CPU work.
struct Pool<Element> {
    private var storage = ContiguousArray<Element>()
    private var free: [Int32] = []

    /// Stores `element` and returns its handle.
    @inline(__always)
    mutating func insert(_ element: Element) -> Int32 {
        if let handle = free.popLast() {
            storage[Int(handle)] = element
            return handle
        }
        storage.append(element)
        return Int32(storage.count - 1)
    }

    /// Gives `handle` back for reuse; its record must not be read again.
    @inline(__always)
    mutating func remove(_ handle: Int32) {
        free.append(handle)
    }

    /// Records stored and not removed.
    var liveCount: Int { storage.count - free.count }

    subscript(handle: Int32) -> Element {
        get { storage[Int(handle)] }
        _modify { yield &storage[Int(handle)] }
    }
}
