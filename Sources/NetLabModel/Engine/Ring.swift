/// A growable first-in first-out buffer in one contiguous array, indexed from its front.
/// Grows by doubling and never shrinks, so a steady workload stops allocating.
struct Ring<Element> {
    private var storage: ContiguousArray<Element?> = []
    private var head = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) & (storage.count - 1)] = element
        count += 1
    }

    mutating func removeFirst() -> Element {
        precondition(count > 0, "removeFirst on an empty ring")
        let element = storage[head].unsafelyUnwrapped
        storage[head] = nil
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return element
    }

    var first: Element? { count > 0 ? storage[head] : nil }

    /// The element `offset` places from the front.
    subscript(offset: Int) -> Element {
        get { storage[(head + offset) & (storage.count - 1)].unsafelyUnwrapped }
        set { storage[(head + offset) & (storage.count - 1)] = newValue }
    }

    private mutating func grow() {
        let newCapacity = max(8, storage.count * 2)
        var newStorage = ContiguousArray<Element?>(repeating: nil, count: newCapacity)
        for offset in 0..<count { newStorage[offset] = storage[(head + offset) & (storage.count - 1)] }
        storage = newStorage
        head = 0
    }
}
