import Dispatch
import NetLabCore

extension Experiment {
    /// The seed of replication `index` of a study seeded with `seed`: replication 0 is the seed
    /// itself (so one replication is the plain run), the others come from a keyed stream.
    public static func replicationSeed(_ seed: UInt64, index: Int) -> UInt64 {
        guard index > 0 else { return seed }
        var stream = RandomStream(seed: seed, streamName: "replication").substream(UInt64(index))
        return stream.next()
    }

    /// `replications` independent runs of every grouping, on all cores: replication k uses
    /// ``replicationSeed(_:index:)``, and within a replication all groupings share random
    /// numbers. The results do not depend on the number of cores.
    public static func replicate(
        _ topology: Topology, groupings: [Int], profile: CostProfile, seed: UInt64, replications: Int,
        progress: (@Sendable (_ finished: Int, _ total: Int) -> Void)? = nil
    ) -> [SimulationResult] {
        replicate(
            topology, groupings: groupings, profile: profile, seed: seed, indices: 0..<replications, progress: progress)
    }

    /// Replications `indices` (numbered as in ``replicationSeed(_:index:)``) of every grouping,
    /// on all cores: a study can add replications later and get exactly the runs it would have
    /// got by asking for all of them at once.
    public static func replicate(
        _ topology: Topology, groupings: [Int], profile: CostProfile, seed: UInt64, indices: Range<Int>,
        progress: (@Sendable (_ finished: Int, _ total: Int) -> Void)? = nil
    ) -> [SimulationResult] {
        precondition(!indices.isEmpty && indices.lowerBound >= 0, "at least one replication")
        let replications = indices.count
        let jobs = replications * groupings.count
        let results = parallelMap(count: jobs, progress: { progress?($0, $1) }) { job in
            let replication = indices.lowerBound + job / groupings.count, slot = job % groupings.count
            return simulate(
                topology, grouping: groupings[slot], profile: profile, seed: replicationSeed(seed, index: replication))
        }
        return (0..<replications).map { offset in
            SimulationResult(
                topology: topology.name, seed: replicationSeed(seed, index: indices.lowerBound + offset),
                duration: topology.duration, warmup: topology.warmup, profile: profile.name,
                groupings: Array(results[(offset * groupings.count)..<((offset + 1) * groupings.count)]))
        }
    }
}
