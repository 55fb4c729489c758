import Testing

@testable import NetLabCore

/// One suite, run against every ``EventQueue`` implementation (as ns-3 runs its scheduler tests
/// once per scheduler).
@Suite struct EventQueueConformanceTests {
    static let implementations: [any EventQueue.Type] = [
        RadixHeapQueue.self, QuaternaryHeapQueue.self, AdaptiveQueue.self,
    ]

    static func event(_ time: Int64, _ sequence: UInt64) -> ScheduledEvent {
        ScheduledEvent(
            time: SimTime(picoseconds: time), sequence: sequence, action: EventAction(kind: UInt32(sequence % 7)))
    }

    @Test(arguments: implementations)
    func emptyQueueHasNothingToRemove(_ type: any EventQueue.Type) {
        func check<Queue: EventQueue>(_: Queue.Type) {
            var queue = Queue()
            #expect(queue.isEmpty)
            #expect(queue.removeFirst() == nil)
        }
        check(type)
    }

    @Test(arguments: implementations)
    func equalTimesComeOutInInsertionOrder(_ type: any EventQueue.Type) {
        func check<Queue: EventQueue>(_: Queue.Type) {
            var queue = Queue()
            for sequence in 0..<100 as Range<UInt64> {
                // Interleave three times so that equal times are not inserted consecutively.
                queue.insert(Self.event(1_000 * Int64(sequence % 3) + 5, sequence))
            }
            var order: [(Int64, UInt64)] = []
            while let event = queue.removeFirst() { order.append((event.time.picoseconds, event.sequence)) }
            #expect(order.count == 100)
            for (earlier, later) in zip(order, order.dropFirst()) {
                #expect(earlier.0 < later.0 || (earlier.0 == later.0 && earlier.1 < later.1))
            }
        }
        check(type)
    }

    @Test(arguments: implementations)
    func removeFirstNotAfterLeavesLaterEventsQueued(_ type: any EventQueue.Type) {
        func check<Queue: EventQueue>(_: Queue.Type) {
            var queue = Queue()
            queue.insert(Self.event(10, 0))
            queue.insert(Self.event(20, 1))
            #expect(queue.removeFirst(notAfter: SimTime(picoseconds: 9)) == nil)
            #expect(queue.removeFirst(notAfter: SimTime(picoseconds: 10))?.sequence == 0)
            #expect(queue.removeFirst(notAfter: SimTime(picoseconds: 15)) == nil)
            // Declining must not advance the queue past 15: an event may still arrive at 16.
            queue.insert(Self.event(16, 2))
            #expect(queue.removeFirst(notAfter: SimTime(picoseconds: 30))?.sequence == 2)
            #expect(queue.removeFirst(notAfter: SimTime(picoseconds: 30))?.sequence == 1)
            #expect(queue.isEmpty)
            queue.checkInvariants()
        }
        check(type)
    }

    /// Random monotone workloads (the shape a simulation produces) against a sorted reference.
    @Test(arguments: implementations)
    func matchesASortedReferenceOnRandomMonotoneWorkloads(_ type: any EventQueue.Type) {
        func check<Queue: EventQueue>(_: Queue.Type) {
            for seed in 0..<20 as Range<UInt64> {
                var random = RandomStream(seed: seed)
                var queue = Queue()
                var reference: [ScheduledEvent] = []
                var now: Int64 = 0
                var sequence: UInt64 = 0
                var mismatch = false
                for step in 0..<3_000 {
                    let insertions = Int(random.next() % 3)
                    for _ in 0..<insertions {
                        // Mostly near times, some equal to now, some far: exercises every bucket.
                        let kind = random.next() % 10
                        let offset: Int64 =
                            kind == 0 ? 0 : kind < 8 ? Int64(random.next() % 1_000) : Int64(random.next() % (1 << 40))
                        let event = Self.event(now + offset, sequence)
                        sequence += 1
                        queue.insert(event)
                        reference.append(event)
                    }
                    if random.next() % 2 == 0 || step == 2_999 {
                        reference.sort { $0.runsBefore($1) }
                        let expected = reference.isEmpty ? nil : reference.removeFirst()
                        let actual = queue.removeFirst()
                        if expected?.sequence != actual?.sequence { mismatch = true }
                        if let actual { now = actual.time.picoseconds }
                    }
                    if step % 500 == 0 { queue.checkInvariants() }
                }
                while let expected = reference.sorted(by: { $0.runsBefore($1) }).first {
                    reference.removeAll { $0.sequence == expected.sequence }
                    if queue.removeFirst()?.sequence != expected.sequence { mismatch = true }
                }
                #expect(!mismatch, "order differs from the reference for seed \(seed)")
                #expect(queue.isEmpty, "events left over for seed \(seed)")
            }
        }
        check(type)
    }

    @Test(arguments: implementations)
    func copiesAreIndependent(_ type: any EventQueue.Type) {
        func check<Queue: EventQueue>(_: Queue.Type) {
            var original = Queue()
            original.insert(Self.event(5, 0))
            original.insert(Self.event(7, 1))
            var copy = original
            #expect(copy.removeFirst()?.sequence == 0)
            copy.insert(Self.event(6, 2))
            #expect(original.count == 2)
            #expect(original.removeFirst()?.sequence == 0)
            #expect(original.removeFirst()?.sequence == 1)
            #expect(copy.removeFirst()?.sequence == 2)
        }
        check(type)
    }
}
