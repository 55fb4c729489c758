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
        let results = parallelMap(count: groupings.count, progress: { progress?($0, $1) }) { slot in
            simulate(topology, grouping: groupings[slot], profile: profile, seed: seed)
        }
        return SimulationResult(
            topology: topology.name, seed: seed, duration: topology.duration, warmup: topology.warmup,
            profile: profile.name, groupings: results)
    }

    /// One grouping, start to end.
    public static func simulate(_ topology: Topology, grouping: Int, profile: CostProfile, seed: UInt64)
        -> GroupingResult
    {
        var run = GroupingRun(topology: topology, grouping: grouping, profile: profile, seed: seed)
        let events: UInt64
        do {
            var simulation = Simulation<DefaultEventQueue>(expectedPendingEvents: 4096)
            run.start(&simulation)
            simulation.run(until: .zero + topology.duration, handler: &run)
            events = simulation.executedEvents
        }
        // The results are built beside what the run keeps; its pending events, connections and
        // packets are not needed for them (a cluster's are hundreds of megabytes).
        run.releaseTrafficState()
        return run.result(events: events)
    }
}
