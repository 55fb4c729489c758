import RealModule

/// The classic hold model for event queues (Vaucher and Duval, "A Comparison of Simulation Event
/// List Algorithms", CACM 18(4), 1975): keep `pending` events queued; each event, when run,
/// schedules one successor at its own time plus an exponential increment.
///
/// It measures what a simulator pays per event (dequeue, dispatch, enqueue) at a fixed queue
/// size, and is the workload other simulators are compared on (ns-3's `bench-scheduler`).
public struct HoldModel<Queue: EventQueue> {
    /// The simulation the model runs on, prefilled with `pending` events.
    public var simulation: Simulation<Queue>
    @usableFromInline var handler: HoldHandler

    /// A simulation holding `pending` events at exponential times of mean `meanIncrement` from 0.
    @inlinable
    public init(pending: Int, meanIncrement: SimDuration = .milliseconds(1), seed: UInt64 = 1) {
        precondition(pending > 0, "the hold model needs at least one pending event")
        simulation = Simulation(expectedPendingEvents: pending)
        handler = HoldHandler(meanPicoseconds: Double(meanIncrement.picoseconds), random: RandomStream(seed: seed))
        for _ in 0..<pending {
            simulation.schedule(HoldHandler.hold, at: .zero + handler.nextIncrement())
        }
    }

    /// Runs `events` hold operations (each: remove the first event, insert its successor) and
    /// returns the simulated time reached, which depends on every draw and so checks the run.
    @inlinable
    @discardableResult
    public mutating func run(events: Int) -> SimTime {
        guard events > 0 else { return simulation.now }
        handler.remaining = events
        simulation.run(handler: &handler)
        return simulation.now
    }
}

/// Each hold event schedules its successor and counts down to the end of the run.
@usableFromInline
struct HoldHandler: EventHandler {
    @usableFromInline static let hold = EventAction(kind: 1)
    @usableFromInline let meanPicoseconds: Double
    @usableFromInline var random: RandomStream
    @usableFromInline var remaining = 0

    @inlinable
    init(meanPicoseconds: Double, random: RandomStream) {
        self.meanPicoseconds = meanPicoseconds
        self.random = random
    }

    @inlinable
    mutating func nextIncrement() -> SimDuration {
        SimDuration(picoseconds: Int64(saturating: -meanPicoseconds * Double.log(random.nextOpenUnit()) + 0.5))
    }

    @inlinable
    mutating func handle<Q: EventQueue>(_ action: EventAction, in simulation: inout Simulation<Q>) {
        simulation.schedule(Self.hold, after: nextIncrement())
        remaining -= 1
        if remaining == 0 { simulation.stop() }
    }
}
