import Dispatch
import NetLabCore

/// Runs groupings of a topology on the same traffic (common random numbers: every flow draws from
/// a stream keyed by its name and the seed) and collects their results in the order asked for.
public enum Experiment {
    /// Simulates each grouping in `groupings` (indices into `topology.groupings`), in parallel on
    /// the available cores. The output does not depend on the parallelism: each grouping is its own
    /// deterministic simulation.
    public static func run(
        _ topology: Topology, groupings: [Int], profile: CostProfile, seed: UInt64,
        progress: (@Sendable (_ finishedGroupings: Int, _ total: Int) -> Void)? = nil
    ) -> SimulationResult {
        let slots = ResultSlots(count: groupings.count)
        DispatchQueue.concurrentPerform(iterations: groupings.count) { slot in
            let result = simulate(topology, grouping: groupings[slot], profile: profile, seed: seed)
            let finished = slots.store(result, at: slot)
            progress?(finished, groupings.count)
        }
        return SimulationResult(
            topology: topology.name, seed: seed, duration: topology.duration, warmup: topology.warmup,
            profile: profile.name, groupings: slots.results)
    }

    /// One grouping, start to end.
    public static func simulate(_ topology: Topology, grouping: Int, profile: CostProfile, seed: UInt64)
        -> GroupingResult
    {
        var run = GroupingRun(topology: topology, grouping: grouping, profile: profile, seed: seed)
        var simulation = Simulation<DefaultEventQueue>(expectedPendingEvents: 4096)
        run.start(&simulation)
        simulation.run(until: .zero + topology.duration, handler: &run)
        return run.result(events: simulation.executedEvents)
    }
}

/// Results written by parallel workers, each into its own slot.
final class ResultSlots: @unchecked Sendable {
    private var slots: [GroupingResult?]
    private var finished = 0
    private let lock = DispatchSemaphore(value: 1)

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ result: GroupingResult, at slot: Int) -> Int {
        lock.wait()
        defer { lock.signal() }
        slots[slot] = result
        finished += 1
        return finished
    }

    var results: [GroupingResult] { slots.map { $0! } }
}
