import NetLabModel

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
    public var sameHost: String
    public var oneWhole: String
    public var scaling: String
    public var recommendation: String

    /// How the pair fares in one candidate: the worst mean p99 of its flows and the cores its
    /// nodes were busy for.
    public struct Placement: Sendable {
        /// Index of the candidate in the ranking.
        public var candidate: Int
        public var p99Nanoseconds: Double
        public var busyCores: Double
    }

    /// Differences within this share are called no gain: a single run cannot resolve them.
    static let negligible = 0.02

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
            let busy =
                runs.reduce(0.0) { total, run in
                    total
                        + zip(run.nodes, topology.cluster.nodes).reduce(0.0) {
                            $0 + $1.0.cpuUtilization * Double($1.1.cores)
                        }
                } / Double(runs.count)
            return Placement(candidate: index, p99Nanoseconds: p99, busyCores: busy)
        }
        func nodes(_ grouping: Grouping, _ container: Int) -> Set<Int> {
            Set(grouping.pods[grouping.podIndex(of: container)].replicaNodes)
        }
        let onePod = placement { $0.podIndex(of: a) == $0.podIndex(of: b) }
        let sameNode = placement {
            $0.podIndex(of: a) != $0.podIndex(of: b) && !nodes($0, a).isDisjoint(with: nodes($0, b))
        }
        let apart = placement { nodes($0, a).isDisjoint(with: nodes($0, b)) }
        let (x, y) = (topology.containers[a], topology.containers[b])
        var advice = PairAdvice(
            first: x.name, second: y.name, flows: flows.map { topology.flows[$0].name }, onePod: onePod,
            sameNode: sameNode, apart: apart, sameHost: "", oneWhole: "", scaling: "", recommendation: "")
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
            advice.sameHost =
                gain(host.p99Nanoseconds, over: apart.p99Nanoseconds).map {
                    "not required; one host saves \($0) (p99)"
                } ?? "no: one host gains nothing measurable (p99 within 2%)"
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
            advice.oneWhole =
                gain(onePod.p99Nanoseconds, over: sameNode.p99Nanoseconds).map {
                    "not declared; one pod saves \($0) (p99)\(cores(onePod, sameNode))"
                } ?? "not declared; one pod gains nothing measurable over two pods on one node"
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
                [sameNode, apart].compactMap { $0 }.allSatisfy {
                    gain(pod.p99Nanoseconds, over: $0.p99Nanoseconds) != nil
                }
            } ?? false
        if onePod != nil, pinned != nil || together {
            advice.recommendation = "sidecar (one pod)"
        } else if onePod != nil, onePodWins {
            advice.recommendation = "sidecar (one pod), if they may scale together"
        } else if let sameNode, let apart, gain(sameNode.p99Nanoseconds, over: apart.p99Nanoseconds) != nil {
            advice.recommendation = "separate pods on one node (affinity)"
        } else {
            advice.recommendation = "separate pods; placement makes no measurable difference"
        }
        return advice
    }

    /// "18.6us" when `ours` is lower than `theirs` by more than 2%, else nil.
    static func gain(_ ours: Double, over theirs: Double) -> String? {
        guard theirs > 0, (theirs - ours) / theirs > negligible else { return nil }
        return formatNanoseconds(theirs - ours)
    }

    /// " and 0.2 cores" when `ours` keeps its nodes busy for fewer cores than `theirs`.
    static func cores(_ ours: Placement, _ theirs: Placement) -> String {
        let saved = theirs.busyCores - ours.busyCores
        guard saved >= 0.01 else { return "" }
        return " and \((saved * 100).rounded() / 100) cores"
    }

    static func formatNanoseconds(_ value: Double) -> String {
        if value >= 1e6 { return "\((value / 1e4).rounded() / 100)ms" }
        if value >= 1e3 { return "\((value / 10).rounded() / 100)us" }
        return "\(Int(value.rounded()))ns"
    }
}
