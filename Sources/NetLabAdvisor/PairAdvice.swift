import NetLabCore
import NetLabModel
import NetLabStats

/// The seed's three questions for one pair of containers that talk, answered with the numbers
/// of the groupings raced: must they share a host? are they one whole? do they scale together?
/// And what to do about it.
public struct PairAdvice: Sendable {
    public var first: String
    public var second: String
    /// The flows between them.
    public var flows: [String]
    /// Where the pair can sit, best candidate of each kind: one pod, separate pods sharing a
    /// node, separate nodes. Nil where no valid grouping puts them so.
    public var onePod: Placement?
    public var sameNode: Placement?
    public var apart: Placement?
    /// What one host (two pods on one node, else one pod) saves over two nodes on the pair's worst
    /// p99, paired over the replications; nil where the rules decide or a placement is impossible.
    public var hostSaving: ConfidenceInterval?
    /// What one pod saves over two pods on one node, likewise.
    public var podSaving: ConfidenceInterval?
    public var sameHost: String
    public var oneWhole: String
    public var scaling: String
    public var recommendation: String

    /// How the pair fares in one candidate: the worst p99 of its flows, per replication and
    /// as the worst of their means, and the cores its nodes were busy for.
    public struct Placement: Sendable {
        /// Index of the candidate in the ranking.
        public var candidate: Int
        public var p99Nanoseconds: Double
        public var busyCores: Double
        /// Per replication, the worst p99 of the pair's flows (replication k of every candidate
        /// ran on the same random numbers, so two placements pair replication by replication).
        public var p99PerReplication: [Double]
    }

    /// What `ours` saves over `theirs` on the pair's worst p99: the paired difference
    /// (theirs − ours) over the replications both ran, with its 95% interval.
    public static func saving(of ours: Placement, over theirs: Placement) -> ConfidenceInterval {
        ConfidenceInterval(zip(theirs.p99PerReplication, ours.p99PerReplication).map { $0 - $1 })
    }

    static func answers(for ranked: [RacedCandidate], topology: Topology) -> [PairAdvice] {
        var pairs: [(Int, Int)] = []
        for flow in topology.flows where flow.from != flow.to {
            let pair = (min(flow.from, flow.to), max(flow.from, flow.to))
            if !pairs.contains(where: { $0 == pair }) { pairs.append(pair) }
        }
        return pairs.map { answer(for: $0, ranked: ranked, topology: topology) }
    }

    static func answer(for pair: (Int, Int), ranked: [RacedCandidate], topology: Topology) -> PairAdvice {
        let (a, b) = pair
        let flows = topology.flows.indices.filter {
            Set([topology.flows[$0].from, topology.flows[$0].to]) == Set([a, b])
        }
        func placement(where predicate: (Grouping) -> Bool) -> Placement? {
            guard let index = ranked.indices.first(where: { predicate(ranked[$0].grouping) }) else { return nil }
            let runs = ranked[index].runs
            let p99 =
                flows.map { flow in
                    runs.reduce(0.0) { $0 + Double($1.flows[flow].latency.valueAtPercentile(99)) } / Double(runs.count)
                }.max() ?? 0
            let perReplication = runs.map { run in
                flows.map { Double(run.flows[$0].latency.valueAtPercentile(99)) }.max() ?? 0
            }
            let busy =
                runs.reduce(0.0) { total, run in
                    total
                        + zip(run.nodes, topology.cluster.nodes).reduce(0.0) {
                            $0 + $1.0.cpuUtilization * Double($1.1.cores)
                        }
                } / Double(runs.count)
            return Placement(
                candidate: index, p99Nanoseconds: p99, busyCores: busy, p99PerReplication: perReplication)
        }
        func nodes(_ grouping: Grouping, _ container: Int) -> Set<Int> {
            Set(grouping.pods[grouping.podIndex(of: container)].replicaNodes)
        }
        let onePod = placement { $0.podIndex(of: a) == $0.podIndex(of: b) }
        let sameNode = placement {
            $0.podIndex(of: a) != $0.podIndex(of: b) && !nodes($0, a).isDisjoint(with: nodes($0, b))
        }
        let apart = placement { nodes($0, a).isDisjoint(with: nodes($0, b)) }
        /// " (at the tail: wake-ups 31.2us, veth/bridge/NIC 9.8us)": the stages that make the
        /// pair's slowest flow slower in `theirs` than in `ours`, pooled over the runs.
        func stages(_ ours: Placement, over theirs: Placement) -> String {
            let (mine, other) = (ranked[ours.candidate].runs, ranked[theirs.candidate].runs)
            guard
                let worst = flows.max(by: { first, second in
                    other.reduce(0.0) { $0 + Double($1.flows[first].latency.valueAtPercentile(99)) }
                        < other.reduce(0.0) { $0 + Double($1.flows[second].latency.valueAtPercentile(99)) }
                }),
                let faster = LatencyBreakdown.pooledTail(of: mine.map { $0.flows[worst] }),
                let slower = LatencyBreakdown.pooledTail(of: other.map { $0.flows[worst] }),
                let text = StageDifference(faster: faster, slower: slower).text
            else { return "" }
            return " (\(topology.flows[worst].name)'s tail: \(text))"
        }
        let (x, y) = (topology.containers[a], topology.containers[b])
        var advice = PairAdvice(
            first: x.name, second: y.name, flows: flows.map { topology.flows[$0].name }, onePod: onePod,
            sameNode: sameNode, apart: apart, hostSaving: nil, podSaving: nil, sameHost: "", oneWhole: "", scaling: "",
            recommendation: "")
        let rules = topology.placementRules
        let pinned = flows.first {
            topology.flows[$0].transport.needsSharedPod && topology.flows[$0].fallback == nil
        }
        let together = x.scalesTogether(a, with: y, at: b)
        let (rx, ry) = (x.replicas ?? 1, y.replicas ?? 1)

        // Must they run on the same host?
        let closest = [onePod, sameNode].compactMap { $0 }.min { $0.p99Nanoseconds < $1.p99Nanoseconds }
        if rules.mustShareHost(a, b) {
            advice.sameHost = "yes: required (same_host)"
        } else if rules.mustBeSeparate(a, b) {
            advice.sameHost = "no: they must be kept apart (separate)"
        } else if let closest, let apart {
            // Separate pods on one node against separate nodes isolates the host; one pod only
            // when two pods on one node are impossible.
            let host = sameNode ?? closest
            let saved = saving(of: host, over: apart)
            advice.hostSaving = saved
            advice.sameHost =
                isGain(saved)
                ? "not required; one host saves p99 \(describe(saved))\(stages(host, over: apart))"
                : isGain(negated(saved))
                    ? "no: one host is worse: p99 higher by \(describe(negated(saved)))"
                    : "no: one host gains nothing significant: p99 \(describe(saved))"
        } else {
            advice.sameHost = closest == nil ? "no valid grouping puts them on one host" : "one host is the only way"
        }

        // Are they one whole?
        if let pinned {
            advice.oneWhole =
                "yes: flow \(topology.flows[pinned].name) uses \(topology.flows[pinned].transport.rawValue), which needs one pod"
        } else if together {
            advice.oneWhole = "yes: declared to scale together (scales_with)"
        } else if x.scaling == .independent || y.scaling == .independent {
            advice.oneWhole = "no: \(x.scaling == .independent ? x.name : y.name) scales independently"
        } else if let onePod, let sameNode {
            let saved = saving(of: onePod, over: sameNode)
            advice.podSaving = saved
            advice.oneWhole =
                isGain(saved)
                ? "not declared; one pod saves p99 \(describe(saved))\(cores(onePod, sameNode))\(stages(onePod, over: sameNode))"
                : isGain(negated(saved))
                    ? "not declared; one pod is worse than two pods on one node: p99 higher by \(describe(negated(saved)))"
                    : "not declared; one pod gains nothing significant over two pods on one node: p99 \(describe(saved))"
        } else {
            advice.oneWhole = "not declared"
        }

        // Do they scale together?
        if together {
            advice.scaling = "together (scales_with, \(rx) replica(s))"
        } else if x.scaling == .independent || y.scaling == .independent {
            advice.scaling = "independently (scaling: independent)"
        } else if rx != ry {
            advice.scaling = "independently (replicas \(rx) vs \(ry))"
        } else {
            advice.scaling = "not declared; same replica count (\(rx)), so one pod is possible but ties their scaling"
        }

        // What to do.
        let onePodWins =
            onePod.map { pod in
                [sameNode, apart].compactMap { $0 }.allSatisfy { isGain(saving(of: pod, over: $0)) }
            } ?? false
        if onePod != nil, pinned != nil || together {
            advice.recommendation = "sidecar (one pod)"
        } else if onePod != nil, onePodWins {
            advice.recommendation = "sidecar (one pod), if they may scale together"
        } else if let sameNode, let apart, isGain(saving(of: sameNode, over: apart)) {
            advice.recommendation = "separate pods on one node (affinity)"
        } else {
            advice.recommendation = "separate pods; placement makes no measurable difference"
        }
        return advice
    }

    /// Whether a saving is significant: its paired 95% interval lies above zero. With fewer than
    /// two paired replications nothing is called a gain.
    static func isGain(_ saved: ConfidenceInterval) -> Bool {
        saved.replications >= 2 && saved.halfWidth.isFinite && saved.mean - saved.halfWidth > 0
    }

    /// The loss that `saved` is.
    static func negated(_ saved: ConfidenceInterval) -> ConfidenceInterval {
        var loss = saved
        loss.mean = -saved.mean
        return loss
    }

    /// "18.6 ± 3.2us (95%, 12 paired replications)", or the mean alone from one replication.
    static func describe(_ saved: ConfidenceInterval) -> String {
        guard saved.replications >= 2, saved.halfWidth.isFinite else {
            return FigureText.duration(nanoseconds: saved.mean) + " (one replication)"
        }
        return FigureText.interval(nanoseconds: saved.mean, halfWidth: saved.halfWidth)
            + " (95%, \(saved.replications) paired replications)"
    }

    /// ", and 0.2 cores" when `ours` keeps its nodes busy for fewer cores than `theirs`.
    static func cores(_ ours: Placement, _ theirs: Placement) -> String {
        let saved = theirs.busyCores - ours.busyCores
        guard saved >= 0.01 else { return "" }
        return ", and \((saved * 100).rounded() / 100) cores"
    }
}
