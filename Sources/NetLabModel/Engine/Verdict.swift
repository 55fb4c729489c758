import NetLabCore
import NetLabStats
import RealModule

/// The one answer of a study, which every output states (table, JSON, CSV, HTML, Markdown, JUnit,
/// `--require`): which grouping is best, how sure that is, and on which flows.
///
/// Groupings are ranked by objectives first (fewest missed, judged on the mean over the
/// replications), then by their **relative p99**: over the flows the grouping affects, the
/// geometric mean of the grouping's p99 over the best grouping's mean p99 for that flow (1.00:
/// best on every such flow). A flow whose path class is the same in every grouping and whose
/// p99 does not differ between them (see ``p99IsAlike(_:flow:)``) is **unaffected** and left out
/// (it would otherwise decide the ranking by noise, as the largest p99 often belongs to a
/// cross-node call that no grouping moves); if every flow is unaffected, all count. The geometric mean weighs a flow's relative change, not its size: halving a 3 µs
/// sidecar call counts as much as halving a 3 ms one. With replications the leader and runner-up
/// are compared on the paired difference of their relative p99 (common random numbers make it
/// tight), and "tie" means its 95% interval reaches zero; one run calls a difference under 2% a
/// tie it cannot resolve.
public struct Verdict: Sendable {
    /// How the leader stands against the runner-up.
    public enum Call: Sendable, Equatable {
        /// One grouping only.
        case alone
        /// It meets more objectives.
        case objectives
        /// Its relative p99 is lower; with replications, the paired difference's interval.
        case leads
        /// Not told apart: replicated, not significantly different; one run, within 2%.
        case tie
    }

    /// A grouping's standing.
    public struct Standing: Sendable {
        public var grouping: Int
        /// Objectives it misses, judged on the means over the replications.
        public var misses: [ObjectiveViolation]
        /// How many objectives the flows have.
        public var objectives: Int
        /// Relative p99 over the affected flows, over the replications.
        public var relativeP99: ConfidenceInterval
    }

    /// A flow on which the leader and the runner-up differ: their mean p99s and the paired
    /// difference (runner-up minus leader), in nanoseconds.
    public struct FlowDifference: Sendable {
        public var flow: Int
        public var leader: Double
        public var runnerUp: Double
        public var difference: ConfidenceInterval
        public var isSignificant: Bool
    }

    public var groupingNames: [String]
    public var flowNames: [String]
    public var replications: Int
    /// Grouping indices, best first.
    public var ranking: [Int]
    /// Per grouping, in the result's order.
    public var standings: [Standing]
    public var affectedFlows: [Int]
    /// Flows on the same path class in every grouping, with that class.
    public var unaffectedFlows: [(flow: Int, path: PathClass)]
    public var call: Call
    /// Runner-up's relative p99 minus the leader's, paired per replication.
    public var margin: ConfidenceInterval?
    /// The affected flows on which leader and runner-up differ, largest difference first.
    public var differences: [FlowDifference]

    /// A difference one run calls a tie.
    public static let singleRunTie = 0.02

    public init(_ replicated: ReplicatedResult) {
        let runs = replicated.replications
        let first = runs[0]
        groupingNames = first.groupings.map(\.name)
        flowNames = first.groupings.first?.flows.map(\.name) ?? []
        replications = runs.count
        let groupings = first.groupings.indices
        let flows = flowNames.indices
        unaffectedFlows = []
        affectedFlows = []
        for flow in flows {
            let paths = Set(first.groupings.map { $0.flows[flow].path })
            let mixed = first.groupings.contains { !$0.flows[flow].pathMix.isEmpty }
            if groupings.count > 1, paths.count == 1, !mixed, Self.p99IsAlike(runs, flow: flow) {
                unaffectedFlows.append((flow, paths.first!))
            } else {
                affectedFlows.append(flow)
            }
        }
        let scored = affectedFlows.isEmpty ? Array(flows) : affectedFlows
        func p99(_ run: SimulationResult, _ grouping: Int, _ flow: Int) -> Double? {
            let result = run.groupings[grouping].flows[flow]
            return result.messages > 0 ? Double(result.latency.valueAtPercentile(99)) : nil
        }
        // Per flow, the best mean p99 over the groupings (a flow nothing delivers is left out).
        var bestMean: [Int: Double] = [:]
        for flow in scored {
            let means = groupings.compactMap { grouping -> Double? in
                let values = runs.compactMap { p99($0, grouping, flow) }
                return values.count == runs.count ? values.reduce(0, +) / Double(values.count) : nil
            }
            if let best = means.min(), best > 0 { bestMean[flow] = best }
        }
        // A grouping that delivers nothing of a flow counts as 100 times the best.
        func relative(_ run: SimulationResult, _ grouping: Int) -> Double {
            var sum = 0.0, count = 0
            for flow in scored {
                guard let best = bestMean[flow] else { continue }
                let ratio = p99(run, grouping, flow).map { max($0, 1) / best } ?? 100
                sum += Double.log(min(ratio, 100))
                count += 1
            }
            return count == 0 ? 1 : Double.exp(sum / Double(count))
        }
        let scores = groupings.map { grouping in runs.map { relative($0, grouping) } }
        standings = groupings.map { grouping in
            let judged = Self.objectiveMisses(runs, grouping: grouping)
            return Standing(
                grouping: grouping, misses: judged.misses, objectives: judged.count,
                relativeP99: ConfidenceInterval(scores[grouping]))
        }
        let standings = standings
        ranking = groupings.sorted {
            (standings[$0].misses.count, standings[$0].relativeP99.mean, $0)
                < (standings[$1].misses.count, standings[$1].relativeP99.mean, $1)
        }
        differences = []
        margin = nil
        guard ranking.count > 1 else {
            call = .alone
            return
        }
        let (a, b) = (ranking[0], ranking[1])
        let margin = ConfidenceInterval(zip(scores[b], scores[a]).map { $0 - $1 })
        self.margin = margin
        if standings[a].misses.count < standings[b].misses.count {
            call = .objectives
        } else if runs.count > 1 {
            call = margin.mean - margin.halfWidth > 0 ? .leads : .tie
        } else {
            call = margin.mean >= Self.singleRunTie * standings[a].relativeP99.mean ? .leads : .tie
        }
        for flow in affectedFlows {
            let pairs = runs.compactMap { run -> (Double, Double)? in
                guard let ours = p99(run, a, flow), let theirs = p99(run, b, flow) else { return nil }
                return (ours, theirs)
            }
            guard pairs.count == runs.count else { continue }
            let difference = ConfidenceInterval(pairs.map { $1 - $0 })
            let leader = pairs.map(\.0).reduce(0, +) / Double(pairs.count)
            let runnerUp = pairs.map(\.1).reduce(0, +) / Double(pairs.count)
            let significant =
                runs.count > 1
                ? abs(difference.mean) > difference.halfWidth
                : abs(difference.mean) >= Self.singleRunTie * min(leader, runnerUp)
            guard significant else { continue }
            differences.append(
                FlowDifference(
                    flow: flow, leader: leader, runnerUp: runnerUp, difference: difference, isSignificant: significant))
        }
        differences.sort { abs($0.difference.mean) > abs($1.difference.mean) }
    }

    /// A difference in p99 one run does not count as the grouping's doing: a p99 from a thousand
    /// or so messages moves by about this much from one seed to the next under a host's spread.
    public static let singleRunAlike = 0.20

    /// Whether `flow`'s p99 is alike in every grouping: with replications, no grouping's paired
    /// difference from the best is significant; in one run, all within 20% of each other. A flow on the same path in every
    /// grouping may still differ, when the groupings load its ends' cores or threads differently.
    static func p99IsAlike(_ runs: [SimulationResult], flow: Int) -> Bool {
        let groupings = runs[0].groupings.indices
        let values = groupings.map { grouping in
            runs.map { run -> Double? in
                let result = run.groupings[grouping].flows[flow]
                return result.messages > 0 ? Double(result.latency.valueAtPercentile(99)) : nil
            }
        }
        guard values.allSatisfy({ $0.allSatisfy { $0 != nil } }) else { return false }
        let p99 = values.map { $0.map { $0! } }
        let means = p99.map { $0.reduce(0, +) / Double($0.count) }
        guard let best = means.indices.min(by: { means[$0] < means[$1] }) else { return true }
        if runs.count == 1 {
            return means.max()! <= means[best] * (1 + singleRunAlike)
        }
        return groupings.allSatisfy { grouping in
            let difference = ConfidenceInterval(zip(p99[grouping], p99[best]).map { $0 - $1 })
            return difference.mean <= difference.halfWidth
        }
    }

    /// The leader's index, or nil when nothing was simulated.
    public var leader: Int? { ranking.first }

    /// Whether `grouping` meets every objective (judged on the replications' means).
    public func meetsObjectives(_ grouping: Int) -> Bool { standings[grouping].misses.isEmpty }

    /// What a gate on objectives (`--require`) fails on: the misses of the grouping named
    /// `required`, or for `"best"` every grouping's misses unless one meets all of its objectives.
    /// Empty when the gate passes; nil when `required` names no grouping of the result.
    public func missesFailing(required: String) -> [ObjectiveViolation]? {
        if required == "best" {
            return standings.contains { $0.misses.isEmpty } ? [] : standings.flatMap(\.misses)
        }
        guard let index = groupingNames.firstIndex(of: required) else { return nil }
        return standings[index].misses
    }

    /// The objectives of `grouping` judged on the means over the runs: a p99 objective is met when
    /// the mean p99 is within it, a throughput objective when the mean throughput reaches it, a
    /// loss objective when the mean share lost is within it. The mean, not a confidence bound:
    /// it is the estimate every other figure reports, so a gate agrees with the table; its
    /// interval is shown beside it for the margin.
    static func objectiveMisses(_ runs: [SimulationResult], grouping: Int) -> (
        misses: [ObjectiveViolation], count: Int
    ) {
        var misses: [ObjectiveViolation] = []
        var count = 0
        let first = runs[0].groupings[grouping]
        for (index, flow) in first.flows.enumerated() {
            guard let objective = flow.objective else { continue }
            count += objective.count
            let results = runs.map { $0.groupings[grouping].flows[index] }
            func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
            let shares = results.filter { $0.offeredMessages > 0 }.map {
                Double($0.lostMessages) / Double($0.offeredMessages)
            }
            let reasons = objective.misses(
                p99: results.contains { $0.messages == 0 }
                    ? nil : mean(results.map { Double($0.latency.valueAtPercentile(99)) * 1000 }),
                throughput: mean(results.map(\.throughputBitsPerSecond)),
                loss: shares.isEmpty ? nil : mean(shares))
            let over = runs.count > 1 ? " (mean of \(runs.count) replications)" : ""
            misses += reasons.map { ObjectiveViolation(grouping: first.name, flow: flow.name, reason: $0 + over) }
        }
        return (misses, count)
    }
}
