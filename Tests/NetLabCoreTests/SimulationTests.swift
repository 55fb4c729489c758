import Testing

@testable import NetLabCore

/// Records what ran and when; kind 9 schedules a follow-up at the same time, kind 8 stops.
struct Recorder: EventHandler {
    var log: [(time: Int64, kind: UInt32, argument: UInt64)] = []

    mutating func handle<Queue: EventQueue>(_ action: EventAction, in simulation: inout Simulation<Queue>) {
        log.append((simulation.now.picoseconds, action.kind, action.argument))
        if action.kind == 9 { simulation.schedule(EventAction(kind: 1, argument: 99), after: .zero) }
        if action.kind == 8 { simulation.stop() }
    }
}

@Suite struct SimulationTests {
    static let queues: [any EventQueue.Type] = [RadixHeapQueue.self, QuaternaryHeapQueue.self, AdaptiveQueue.self]

    @Test(arguments: queues)
    func equalTimesRunInInsertionOrder(_ type: any EventQueue.Type) {
        func check<Queue: EventQueue>(_: Queue.Type) {
            var simulation = Simulation<Queue>()
            var recorder = Recorder()
            for argument in 0..<10 as Range<UInt64> {
                simulation.schedule(EventAction(kind: 1, argument: argument), at: SimTime(picoseconds: 500))
            }
            simulation.schedule(EventAction(kind: 9), at: SimTime(picoseconds: 100))
            simulation.run(handler: &recorder)
            #expect(recorder.log.map(\.argument) == [0, 99] + Array(0..<10))
            #expect(recorder.log.map(\.time) == [100, 100] + Array(repeating: 500, count: 10))
        }
        check(type)
    }

    @Test(arguments: queues)
    func timeNeverGoesBackwards(_ type: any EventQueue.Type) {
        func check<Queue: EventQueue>(_: Queue.Type) {
            var simulation = Simulation<Queue>()
            var recorder = Recorder()
            var random = RandomStream(seed: 7)
            for _ in 0..<2_000 {
                simulation.schedule(EventAction(kind: 1), at: SimTime(picoseconds: Int64(random.next() % 1_000_000)))
            }
            simulation.run(handler: &recorder)
            #expect(recorder.log.count == 2_000)
            #expect(zip(recorder.log, recorder.log.dropFirst()).allSatisfy { $0.time <= $1.time })
            #expect(simulation.executedEvents == 2_000)
        }
        check(type)
    }

    @Test func cancelledEventsDoNotRun() {
        var simulation = Simulation<DefaultEventQueue>()
        var recorder = Recorder()
        let kept = simulation.schedule(EventAction(kind: 1, argument: 1), at: SimTime(picoseconds: 10))
        let dropped = simulation.schedule(EventAction(kind: 1, argument: 2), at: SimTime(picoseconds: 20))
        #expect(simulation.pendingEvents == 2)
        let firstCancel = simulation.cancel(dropped)
        let secondCancel = simulation.cancel(dropped)
        #expect(firstCancel)
        #expect(!secondCancel, "a second cancel has nothing to cancel")
        #expect(simulation.pendingEvents == 1)
        simulation.run(handler: &recorder)
        #expect(recorder.log.map(\.argument) == [1])
        #expect(simulation.executedEvents == 1)
        let lateCancel = simulation.cancel(kept)
        #expect(!lateCancel, "an event that has run cannot be cancelled")
        #expect(simulation.pendingEvents == 0)
    }

    @Test func cancellingOneOfEqualTimesKeepsTheOthersInOrder() {
        var simulation = Simulation<DefaultEventQueue>()
        var recorder = Recorder()
        let ids = (0..<5 as Range<UInt64>).map {
            simulation.schedule(EventAction(kind: 1, argument: $0), at: SimTime(picoseconds: 50))
        }
        simulation.cancel(ids[2])
        simulation.run(handler: &recorder)
        #expect(recorder.log.map(\.argument) == [0, 1, 3, 4])
    }

    @Test func runUntilRunsEventsAtTheLimitAndStopsTheClockThere() {
        var simulation = Simulation<DefaultEventQueue>()
        var recorder = Recorder()
        for time: Int64 in [10, 20, 30] {
            simulation.schedule(EventAction(kind: 1, argument: UInt64(time)), at: SimTime(picoseconds: time))
        }
        #expect(simulation.run(until: SimTime(picoseconds: 20), handler: &recorder) == .reachedLimit)
        #expect(recorder.log.map(\.argument) == [10, 20])
        #expect(simulation.now == SimTime(picoseconds: 20))
        #expect(simulation.run(until: SimTime(picoseconds: 25), handler: &recorder) == .reachedLimit)
        #expect(simulation.now == SimTime(picoseconds: 25))
        // After stopping at 25, an event between 25 and the queued 30 still runs first.
        simulation.schedule(EventAction(kind: 1, argument: 27), at: SimTime(picoseconds: 27))
        #expect(simulation.run(until: SimTime(picoseconds: 100), handler: &recorder) == .drained)
        #expect(recorder.log.map(\.argument) == [10, 20, 27, 30])
        #expect(simulation.now == SimTime(picoseconds: 100))
    }

    @Test func runWithoutALimitLeavesTheClockAtTheLastEvent() {
        var simulation = Simulation<DefaultEventQueue>()
        var recorder = Recorder()
        simulation.schedule(EventAction(kind: 1), at: SimTime(picoseconds: 42))
        #expect(simulation.run(handler: &recorder) == .drained)
        #expect(simulation.now == SimTime(picoseconds: 42))
    }

    @Test func stopReturnsAfterTheCurrentEventAndRunResumes() {
        var simulation = Simulation<DefaultEventQueue>()
        var recorder = Recorder()
        simulation.schedule(EventAction(kind: 1, argument: 1), at: SimTime(picoseconds: 1))
        simulation.schedule(EventAction(kind: 8, argument: 2), at: SimTime(picoseconds: 2))
        simulation.schedule(EventAction(kind: 1, argument: 3), at: SimTime(picoseconds: 3))
        #expect(simulation.run(handler: &recorder) == .stopped)
        #expect(simulation.now == SimTime(picoseconds: 2))
        #expect(recorder.log.map(\.argument) == [1, 2])
        #expect(simulation.run(handler: &recorder) == .drained)
        #expect(recorder.log.map(\.argument) == [1, 2, 3])
    }

    /// With invariant checks compiled in (`-DNETLAB_INTERNAL_CHECKS`), every queue operation
    /// checks the whole queue: the hold models shrink by this factor to keep the run short.
    #if NETLAB_INTERNAL_CHECKS
        static let checkedScale = 10
    #else
        static let checkedScale = 1
    #endif

    @Test func holdModelKeepsItsPendingCountAndRunsExactlyTheEventsAskedFor() {
        let pending = 1_000 / Self.checkedScale, events = 50_000 / Self.checkedScale
        var model = HoldModel<DefaultEventQueue>(pending: pending, seed: 3)
        model.run(events: events)
        #expect(model.simulation.executedEvents == UInt64(events))
        #expect(model.simulation.pendingEvents == pending)
    }

    @Test func bothQueuesRunTheHoldModelIdentically() {
        let pending = 5_000 / Self.checkedScale, events = 100_000 / Self.checkedScale
        var radix = HoldModel<RadixHeapQueue>(pending: pending, seed: 11)
        var heap = HoldModel<QuaternaryHeapQueue>(pending: pending, seed: 11)
        let radixEnd = radix.run(events: events)
        let heapEnd = heap.run(events: events)
        #expect(radixEnd == heapEnd)
    }
}
