import NetLabCore
import NetLabModel

/// Runs a sweep's jobs on all cores. Each job is one replication of one point, every grouping on
/// the same random numbers; the records come back in job, grouping and flow order whatever the
/// number of cores.
public enum SweepRunner {
    /// Runs `jobs` of `plan` with `profile`, each grouping of each job in parallel, reporting the
    /// runs finished to `progress`. Fails before anything runs where a point's topology does not
    /// read (naming the point's values) or names a grouping it lacks.
    public static func run(
        _ plan: SweepPlan, jobs: [Int], profile: CostProfile,
        progress: @Sendable (_ finished: Int, _ total: Int) -> Void = { _, _ in }
    ) throws(SweepError) -> [SweepRecord] {
        // Every point's topology is read once, up front, so a bad value stops the sweep before it runs.
        var topologies: [Int: Topology] = [:]
        var units: [(job: Int, grouping: Int)] = []
        for job in jobs {
            let point = job / plan.replications
            if topologies[point] == nil { topologies[point] = try plan.topology(at: point) }
            let topology = topologies[point]!
            let chosen = try groupingIndices(plan.groupings, in: topology)
            units += chosen.map { (job, $0) }
        }
        let frozen = topologies, work = units
        let records = parallelMap(count: units.count, progress: progress) { index in
            let (job, grouping) = work[index]
            let topology = frozen[job / plan.replications]!
            let seed = Experiment.replicationSeed(plan.seed ?? topology.seed, index: job % plan.replications)
            let result = Experiment.simulate(topology, grouping: grouping, profile: profile, seed: seed)
            return result.flows.map { flow in
                SweepRecord(
                    job: job, grouping: result.name, flow: flow.name,
                    values: [
                        Double(flow.latency.valueAtPercentile(50)), Double(flow.latency.valueAtPercentile(99)),
                        flow.latency.meanNanoseconds, flow.throughputBitsPerSecond,
                        flow.offeredMessages > 0 ? Double(flow.lostMessages) / Double(flow.offeredMessages) : 0,
                    ])
            }
        }
        return records.flatMap { $0 }
    }

    static func groupingIndices(_ names: [String], in topology: Topology) throws(SweepError) -> [Int] {
        do { return try topology.groupingIndices(named: names) } catch {
            throw SweepError(
                "--grouping", "no grouping \"\(error.name)\"",
                fix: "use one of \(error.choices.joined(separator: ", "))")
        }
    }
}
