import NetLabModel
import NetLabStats

/// How `netlab advise` searches.
public struct AdviceSettings: Sendable {
    /// Search every distinct grouping when there are at most this many; otherwise search
    /// heuristically.
    public var exhaustiveLimit = 2000
    public var race = RaceSettings()
    public var seed: UInt64

    public init(seed: UInt64) { self.seed = seed }
}

/// What `netlab advise` found: how large the space was, how it was searched, the groupings raced
/// (best first), the Pareto front, and per pair of containers that talk the answers to the three
/// questions.
public struct Advice: Sendable {
    public var topology: Topology
    public var space: GroupingSpace
    /// True when the space was too large and candidates came from the heuristic search.
    public var isHeuristic: Bool
    /// Every candidate raced: finalists by mean score first, then those dropped.
    public var ranked: [RacedCandidate]
    /// The written grouping (from the topology's `groupings`) each candidate equals, if any.
    public var writtenNames: [String?]
    /// Written groupings that break the topology's rules or cannot run, with the reason.
    public var writtenProblems: [(grouping: String, problem: String)]
    /// Finalists whose score is not significantly different from the best's (paired 95%).
    public var tiedWithBest: [Int]
    /// Candidates no other beats on every one of: objectives missed, worst p99, nodes, cores,
    /// and pairs put in one pod that do not scale together.
    public var paretoFront: [Int]
    public var pairs: [PairAdvice]
    /// What the race minimised after objectives.
    public var objective: AdviceObjective
    /// Per candidate, what it costs (see ``ParetoFront/Costs``).
    public var allCosts: [ParetoFront.Costs]

    /// A candidate's display name: the written grouping's, else its pods and nodes.
    public func name(of index: Int) -> String { writtenNames[index] ?? ranked[index].grouping.name }

    /// The best `count` candidates the topology does not already hold, best first: what a user
    /// would add to it.
    public func bestNewGroupings(_ count: Int) -> [Grouping] {
        Array(ranked.indices.lazy.filter { writtenNames[$0] == nil }.prefix(count).map { ranked[$0].grouping })
    }
}

public enum Advisor {
    /// Searches the groupings of `topology`, exhaustively when the space is small enough, races
    /// the candidates on common random numbers, and answers per talking pair.
    public static func advise(
        _ topology: Topology, profile: CostProfile, settings: AdviceSettings,
        progress: (_ done: Int, _ planned: Int, _ alive: Int) -> Void = { _, _, _ in }
    ) -> Advice {
        let space = GroupingSpace.enumerate(topology, limit: settings.exhaustiveLimit)
        let classes = NodeClasses(topology.cluster)
        var candidates =
            space.isComplete
            ? space.valid : heuristicCandidates(topology, profile: profile, settings: settings, progress: progress)
        var writtenProblems: [(grouping: String, problem: String)] = []
        var seen = Set(candidates.map { classes.signature(of: $0) })
        for written in topology.groupings {
            if let problem = topology.cluster.placementProblem(
                of: written.pods, containers: topology.containers, grouping: written.name)
            {
                writtenProblems.append((written.name, problem.problem))
            } else if let violation = topology.ruleViolation(in: written) {
                writtenProblems.append((written.name, violation.description))
            } else if seen.insert(classes.signature(of: written)).inserted {
                candidates.append(written)
            }
        }
        let ranked = GroupingRace.run(
            topology, candidates: candidates, profile: profile, seed: settings.seed, settings: settings.race,
            progress: progress)
        let writtenBySignature = Dictionary(
            topology.groupings.map { (classes.signature(of: $0), $0.name) }, uniquingKeysWith: { first, _ in first })
        let finalists = ranked.prefix { $0.droppedInRound == nil }
        let tied = finalists.indices.dropFirst().filter {
            !GroupingRace.isClearlyWorse(ranked[$0].scores, than: ranked[0].scores)
        }
        var advice = Advice(
            topology: topology, space: space, isHeuristic: !space.isComplete, ranked: ranked,
            writtenNames: ranked.map { writtenBySignature[classes.signature(of: $0.grouping)] },
            writtenProblems: writtenProblems, tiedWithBest: tied, paretoFront: [], pairs: [],
            objective: settings.race.objective, allCosts: ParetoFront.costs(of: ranked, topology: topology))
        advice.paretoFront = ParetoFront.indices(of: advice.allCosts)
        advice.pairs = PairAdvice.answers(for: ranked, topology: topology)
        return advice
    }

    /// Candidates from the heuristic search, in two stages: the merge chain (each partition packed
    /// and spread) raced briefly, then every single-container move from the two best partitions
    /// of that race. Valid ones only, without repeats.
    static func heuristicCandidates(
        _ topology: Topology, profile: CostProfile, settings: AdviceSettings,
        progress: (_ done: Int, _ planned: Int, _ alive: Int) -> Void
    ) -> [Grouping] {
        let search = HeuristicSearch(topology)
        let classes = NodeClasses(topology.cluster)
        var seen = Set<NodeClasses.Signature>()
        var candidates: [Grouping] = []
        func consider(_ partition: [[Int]]) {
            for placement in search.placements(of: partition) {
                let (grouping, refusal) = GroupingSpace.grouping(of: partition, placedOn: placement, in: topology)
                if refusal == nil, seen.insert(classes.signature(of: grouping)).inserted { candidates.append(grouping) }
            }
        }
        for partition in search.mergeChain() { consider(partition) }
        guard !candidates.isEmpty else { return [] }
        var scouting = settings.race
        scouting.finalReplications = scouting.initialReplications
        let scouted = GroupingRace.run(
            topology, candidates: candidates, profile: profile, seed: settings.seed, settings: scouting,
            progress: progress)
        for start in scouted.prefix(2) {
            for moved in search.moves(from: start.grouping.pods.map(\.containers)) { consider(moved) }
        }
        return candidates
    }
}
