/// Records kept beside a ``Pool``, by the same handles: the time by stage of packets, messages and
/// calls in flight. One contiguous buffer behind a reference, so that writing a record costs an
/// address computation and no copy-on-write check (an array in a struct pays one runtime call per
/// write, and these are written several times per packet).
///
/// A side table belongs to one ``GroupingRun``; a copy of the run shares it, so a run is never
/// copied to be run twice (none is: each grouping builds its own). Handles must be below
/// `count`; `store(_:at:)` grows the table as its pool grows.
final class SideTable<Record> {
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<Record>
    @exclusivity(unchecked) private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    subscript(index: Int) -> Record {
        @inline(__always) _read {
            precondition(index >= 0 && index < count, "side table index out of range")
            yield base[index]
        }
        @inline(__always) _modify {
            precondition(index >= 0 && index < count, "side table index out of range")
            yield &base[index]
        }
    }

    /// Puts `record` at `index`, growing the table to hold it (new slots between take `record`
    /// too; a pool's new handle is its size before, so there are none).
    @inline(__always)
    func store(_ record: Record, at index: Int) {
        if index < count {
            base[index] = record
        } else {
            grow(toHold: index, with: record)
        }
    }

    @inline(never)
    private func grow(toHold index: Int, with record: Record) {
        if index >= capacity {
            var larger = capacity
            while larger <= index { larger *= 2 }
            let moved = UnsafeMutablePointer<Record>.allocate(capacity: larger)
            moved.moveInitialize(from: base, count: count)
            base.deallocate()
            base = moved
            capacity = larger
        }
        (base + count).initialize(repeating: record, count: index + 1 - count)
        count = index + 1
    }
}
