/// Records addressed by `Int32` handles in one contiguous array, with freed handles reused first,
/// so that a steady simulation stops allocating: packets, messages, calls, CPU work.
///
/// With internal checks compiled in (`-DNETLAB_INTERNAL_CHECKS`) every handle is checked: reading
/// or writing a removed record, or removing one twice, stops the run.
struct Pool<Element> {
    private var storage = ContiguousArray<Element>()
    private var free: [Int32] = []
    #if NETLAB_INTERNAL_CHECKS
        /// Per handle, whether its record is stored and not removed.
        private var isLive: [Bool] = []
    #endif

    /// Stores `element` and returns its handle.
    @inline(__always)
    mutating func insert(_ element: Element) -> Int32 {
        if let handle = free.popLast() {
            storage[Int(handle)] = element
            #if NETLAB_INTERNAL_CHECKS
                precondition(!isLive[Int(handle)], "pool: handle \(handle) was free and live at once")
                isLive[Int(handle)] = true
            #endif
            return handle
        }
        storage.append(element)
        #if NETLAB_INTERNAL_CHECKS
            isLive.append(true)
        #endif
        return Int32(storage.count - 1)
    }

    /// Gives `handle` back for reuse; its record must not be read again.
    @inline(__always)
    mutating func remove(_ handle: Int32) {
        #if NETLAB_INTERNAL_CHECKS
            precondition(isLive[Int(handle)], "pool: handle \(handle) removed twice")
            isLive[Int(handle)] = false
        #endif
        free.append(handle)
    }

    /// Records stored and not removed.
    var liveCount: Int { storage.count - free.count }

    subscript(handle: Int32) -> Element {
        get {
            #if NETLAB_INTERNAL_CHECKS
                precondition(isLive[Int(handle)], "pool: handle \(handle) read after it was removed")
            #endif
            return storage[Int(handle)]
        }
        _modify {
            #if NETLAB_INTERNAL_CHECKS
                precondition(isLive[Int(handle)], "pool: handle \(handle) written after it was removed")
            #endif
            yield &storage[Int(handle)]
        }
    }

    /// Every record stored and not removed (slow: for the run's invariant checks).
    var liveRecords: [Element] {
        let removed = Set(free)
        return storage.indices.filter { !removed.contains(Int32($0)) }.map { storage[$0] }
    }
}
