import NetLabCore
import NetLabModel
import NetLabStats

/// How candidates are raced: every one gets a few replications, those clearly worse than the
/// leader are dropped, and the close ones get more, doubling each round (successive halving).
public struct RaceSettings: Sendable {
    /// Replications every candidate gets first (at least 2, for an interval).
    public var initialReplications = 3
    /// Replications the finalists end with.
    public var finalReplications = 12
    /// Above this many survivors a round also keeps only the better half by mean score.
    public var halvingAbove = 8
    public var objective = AdviceObjective.meanP99

    public init() {}
}

/// One raced grouping and the replications it got (replication k seeded as in
/// `Experiment.replicationSeed`, so every candidate sees the same random numbers in replication k).
public struct RacedCandidate: Sendable {
    public var grouping: Grouping
    public var runs: [GroupingResult] = []
    /// Each run's score (lower is better).
    public var scores: [Double] = []
    /// The round it was dropped in; nil for the finalists.
    public var droppedInRound: Int?

    public var meanScore: Double { scores.reduce(0, +) / Double(max(scores.count, 1)) }
}

enum GroupingRace {
    /// Races `candidates` (groupings of `topology`) and returns them all, finalists first in
    /// order of mean score, then the dropped ones in order of mean score.
    static func run(
        _ topology: Topology, candidates: [Grouping], profile: CostProfile, seed: UInt64, settings: RaceSettings,
        progress: (_ done: Int, _ planned: Int, _ alive: Int) -> Void = { _, _, _ in }
    ) -> [RacedCandidate] {
        guard !candidates.isEmpty else { return [] }
        let study = {
            var copy = topology; copy.groupings = candidates; return copy
        }()
        var raced = candidates.map { RacedCandidate(grouping: $0) }
        var alive = Array(candidates.indices)
        var replications = min(settings.initialReplications, settings.finalReplications)
        var round = 0
        var done = 0
        while true {
            let jobs = alive.flatMap { index in (raced[index].runs.count..<replications).map { (index, $0) } }
            let planned = done + jobs.count
            let results = parallelMap(count: jobs.count) { job in
                let (index, replication) = jobs[job]
                return Experiment.simulate(
                    study, grouping: index, profile: profile,
                    seed: Experiment.replicationSeed(seed, index: replication))
            }
            for (job, (index, _)) in jobs.enumerated() {
                let result = results[job]
                raced[index].runs.append(result)
                raced[index].scores.append(settings.objective.score(result, topology: study))
            }
            done = planned
            progress(done, planned, alive.count)
            alive = survivors(of: alive, in: raced, halvingAbove: settings.halvingAbove)
            for index in candidates.indices where raced[index].droppedInRound == nil && !alive.contains(index) {
                raced[index].droppedInRound = round
            }
            if alive.count <= 1 || replications >= settings.finalReplications { break }
            replications = min(replications * 2, settings.finalReplications)
            round += 1
        }
        let order = { (a: Int, b: Int) in (raced[a].meanScore, a) < (raced[b].meanScore, b) }
        let finalists = alive.sorted(by: order)
        let dropped = candidates.indices.filter { !alive.contains($0) }.sorted(by: order)
        return (finalists + dropped).map { raced[$0] }
    }

    /// The candidates not clearly worse than the leader (the paired 95% interval of their score
    /// minus the leader's lies above zero), and, when more than `halvingAbove` remain, only the
    /// better half of those by mean score.
    static func survivors(of alive: [Int], in raced: [RacedCandidate], halvingAbove: Int) -> [Int] {
        let ranked = alive.sorted { (raced[$0].meanScore, $0) < (raced[$1].meanScore, $1) }
        let leader = raced[ranked[0]]
        var kept = ranked.filter { index in
            index == ranked[0] || !isClearlyWorse(raced[index].scores, than: leader.scores)
        }
        if kept.count > halvingAbove { kept = Array(kept.prefix(max(halvingAbove, (kept.count + 1) / 2))) }
        return kept
    }

    /// Whether `scores` exceed `leader`'s with 95% confidence, paired replication by replication.
    static func isClearlyWorse(_ scores: [Double], than leader: [Double]) -> Bool {
        let differences = zip(scores, leader).map { $0 - $1 }
        guard differences.count >= 2 else { return false }
        let interval = ConfidenceInterval(differences)
        return interval.mean - interval.halfWidth > 0
    }
}
