import NetLabAdvisor
import NetLabCore
import NetLabModel
import NetLabSpec
import NetLabStats

/// `netlab advise` output: a summary for people, JSON for programs (docs/output.md).
public enum AdviceReport {
    /// The advice for people, within 100 columns: how the groupings were searched and raced, the
    /// best grouping, the Pareto front of candidates (SLO misses, relative p99, nodes, cores,
    /// coupling), and what follows from it.
    public static func table(_ advice: Advice) -> String {
        var output = "advise \(advice.topology.name): \(advice.topology.containers.count) containers, "
        output += "\(advice.topology.cluster.nodes.count) nodes\n"
        output += SimulationReport.wrap(searchLine(advice), width: 100) + "\n"
        output += SimulationReport.wrap(raceLine(advice), width: 100) + "\n"
        for (grouping, problem) in advice.writtenProblems {
            output += SimulationReport.wrap("written grouping \(grouping) left out: \(problem)", width: 100) + "\n"
        }
        output += SimulationReport.wrap("best: " + bestLine(advice), width: 100) + "\n\n"
        output += "Pareto front (no other candidate is as good on every column):\n"
        var table = TextTable(columns: [
            .init("rank", alignment: .right), .init("SLO misses", alignment: .right),
            .init("rel p99", alignment: .right), .init("worst p99", alignment: .right),
            .init("nodes", alignment: .right), .init("cores", alignment: .right),
            .init("coupled", alignment: .right), .init("grouping (pods@nodes)"),
        ])
        let shown = Array(advice.paretoFront.prefix(12))
        let labels = ShortNames(shown.map { advice.name(of: $0) }, limit: 30)
        for (row, index) in shown.enumerated() {
            let costs = advice.costs(of: index)
            let stacked = !advice.topology.podsStackedOnOneNode(in: advice.ranked[index].grouping).isEmpty
            table.append([
                "\(index + 1)", SimulationReport.fixed(costs.misses, 1), SimulationReport.fixed(costs.relativeP99, 2),
                SimulationReport.formatNanoseconds(costs.worstP99), "\(costs.nodes)", "\(costs.cores)",
                "\(costs.coupledPairs)", labels.labels[row] + (stacked ? " !" : ""),
            ])
        }
        output += table.rendered()
        if advice.paretoFront.count > 12 { output += "(\(advice.paretoFront.count - 12) more in --format json)\n" }
        output += "rel p99: per flow, mean p99 over the best candidate's, geometrically averaged (as simulate ranks)\n"
        output += "coupled: pairs in one pod that are not declared to scale together (scales_with)\n"
        if shown.contains(where: { !advice.topology.podsStackedOnOneNode(in: advice.ranked[$0].grouping).isEmpty }) {
            output += "!: every replica of a pod on one node: losing that node loses them all (availability)\n"
        }
        output += labels.legendText(title: "groupings in full")
        for pair in advice.pairs {
            let kinds = [("one pod", pair.onePod), ("two pods, one node", pair.sameNode), ("two nodes", pair.apart)]
            output +=
                "\n"
                + SimulationReport.wrap(
                    "\(pair.first) ↔ \(pair.second) (\(pair.flows.joined(separator: ", "))): "
                        + kinds.map { name, placement in
                            "\(name) "
                                + (placement.map { SimulationReport.formatNanoseconds($0.p99Nanoseconds) }
                                    ?? "not possible")
                        }.joined(separator: ", ") + " (p99)", width: 100) + "\n"
            for (question, answer) in [
                ("same host?", pair.sameHost), ("one whole?", pair.oneWhole), ("scale together?", pair.scaling),
                ("recommend:", pair.recommendation),
            ] {
                let line = SimulationReport.wrap(answer, width: 80).split(separator: "\n")
                for (number, part) in line.enumerated() {
                    let head = number == 0 ? question : ""
                    output +=
                        "  " + head + String(repeating: " ", count: 16 - head.count)
                        + part.drop { $0 == " " } + "\n"
                }
            }
        }
        return output
    }

    static func searchLine(_ advice: Advice) -> String {
        let space = advice.space
        var line =
            advice.isHeuristic
            ? "search: HEURISTIC: more than \(space.distinct - 1) distinct groupings (at least \(formatCount(space.assignments)) assignments: enumeration stopped there), beyond the exhaustive limit; candidates from merging the pairs that exchange most bytes, then moving one container at a time from the two best of those: the best grouping may be missed"
            : "search: exhaustive: \(formatCount(space.assignments)) assignments of containers to pods and pods to nodes, \(space.distinct) distinct with identical nodes interchangeable, \(space.valid.count) valid"
        if !advice.isHeuristic, !space.refused.isEmpty {
            line += " (refused: " + space.refused.map { "\($0.count) \($0.reason)" }.joined(separator: "; ") + ")"
        }
        return line
    }

    static func raceLine(_ advice: Advice) -> String {
        let counts = advice.ranked.map(\.runs.count)
        let finalists = advice.ranked.filter { $0.droppedInRound == nil }.count
        return
            "raced: \(advice.ranked.count) candidates on common random numbers, \(counts.min() ?? 0) to \(counts.max() ?? 0) replications each; the clearly worse dropped each round (paired 95% interval), \(finalists) reached the final round"
    }

    static func bestLine(_ advice: Advice) -> String {
        guard !advice.ranked.isEmpty else { return "no valid grouping" }
        let best = advice.ranked[0]
        let worst = ConfidenceInterval(
            best.runs.map { run in
                Double(run.flows.filter { $0.messages > 0 }.map { $0.latency.valueAtPercentile(99) }.max() ?? 0)
            })
        let pods = best.grouping.pods.count, nodes = best.runs[0].nodesUsed
        var line =
            "\(advice.name(of: 0)) (\(pods) pod\(pods == 1 ? "" : "s") on \(nodes) node\(nodes == 1 ? "" : "s")): "
        line += "relative p99 \(SimulationReport.fixed(advice.costs(of: 0).relativeP99, 2))"
        line += ", worst p99 \(SimulationReport.durationInterval(worst))"
        let misses = best.runs[0].violations(of: advice.topology)
        if advice.topology.flows.contains(where: { !$0.objective.isEmpty }) {
            line += misses.isEmpty ? ", every SLO met" : ", \(misses.count) SLO miss(es)"
        }
        if advice.ranked.count > 1 {
            let second = advice.ranked[1]
            let difference = ConfidenceInterval(zip(second.scores, best.scores).map { $0 - $1 })
            if second.droppedInRound == nil || advice.tiedWithBest.contains(1) {
                let what =
                    advice.objective == .meanP99 ? "geometric-mean p99" : "worst p99"
                line +=
                    difference.mean >= 1e14
                    ? "; runner-up \(advice.name(of: 1)) misses more objectives"
                    : "; runner-up \(advice.name(of: 1)): \(what) higher by \(SimulationReport.durationInterval(difference)) (paired)"
            }
        }
        if !advice.tiedWithBest.isEmpty {
            let shown = advice.tiedWithBest.prefix(2).map { advice.name(of: $0) }.joined(separator: "; ")
            let more = advice.tiedWithBest.count - 2
            line +=
                "; not significantly better than \(advice.tiedWithBest.count) other finalist(s) (\(shown)\(more > 0 ? "; \(more) more in --format json" : ""))"
                + ": widen --duration or --replications to separate them"
        }
        return line
    }

    static func formatCount(_ value: Double) -> String {
        value < 1e15 ? "\(Int64(saturating: value))" : "\(value)"
    }

    /// The advice for programs, as docs/output.md lists its fields: the objective, the search
    /// space, the best grouping and those tied with it, every raced candidate (replications, round
    /// dropped, score, costs, Pareto membership), and per pair of containers that talk the
    /// latency of each placement and what one host saves.
    public static func json(_ advice: Advice) -> JSONValue {
        func placement(_ value: PairAdvice.Placement?) -> JSONValue {
            guard let value else { return .null }
            return .object([
                ("grouping", .string(advice.name(of: value.candidate))),
                ("p99_ns", .number(SimulationReport.rounded(value.p99Nanoseconds))),
                ("busy_cores", .number(SimulationReport.rounded(value.busyCores))),
            ])
        }
        func saving(_ value: ConfidenceInterval?) -> JSONValue {
            guard let value else { return .null }
            return .object([
                ("mean", .number(SimulationReport.rounded(value.mean))),
                ("ci95", value.halfWidth.isFinite ? .number(SimulationReport.rounded(value.halfWidth)) : .null),
                ("replications", .integer(Int64(value.replications))),
            ])
        }
        return .object([
            ("topology", .string(advice.topology.name)),
            ("objective", .string(advice.objective.rawValue)),
            (
                "search",
                .object([
                    ("mode", .string(advice.isHeuristic ? "heuristic" : "exhaustive")),
                    ("assignments", .number(advice.space.assignments)),
                    ("distinct", .integer(Int64(advice.space.distinct))),
                    ("valid", advice.isHeuristic ? .null : .integer(Int64(advice.space.valid.count))),
                    (
                        "refused",
                        .object(advice.space.refused.map { ($0.reason, .integer(Int64($0.count))) })
                    ),
                ])
            ),
            (
                "written_left_out",
                .array(
                    advice.writtenProblems.map {
                        .object([("grouping", .string($0.grouping)), ("problem", .string($0.problem))])
                    })
            ),
            ("best", .string(advice.ranked.isEmpty ? "" : advice.name(of: 0))),
            ("tied_with_best", .array(advice.tiedWithBest.map { .string(advice.name(of: $0)) })),
            (
                "candidates",
                .array(
                    advice.ranked.indices.map { index in
                        let candidate = advice.ranked[index]
                        let costs = advice.costs(of: index)
                        return .object([
                            ("grouping", .string(advice.name(of: index))),
                            ("written", .bool(advice.writtenNames[index] != nil)),
                            (
                                "pods",
                                .array(
                                    candidate.grouping.pods.map { pod in
                                        .object([
                                            (
                                                "containers",
                                                .array(
                                                    pod.containers.map { .string(advice.topology.containers[$0].name) })
                                            ),
                                            (
                                                "nodes",
                                                .array(
                                                    pod.replicaNodes.map {
                                                        .string(advice.topology.cluster.nodes[$0].name)
                                                    })
                                            ),
                                        ])
                                    })
                            ),
                            ("replications", .integer(Int64(candidate.runs.count))),
                            ("dropped_in_round", candidate.droppedInRound.map { .integer(Int64($0)) } ?? .null),
                            ("mean_score", .number(SimulationReport.rounded(candidate.meanScore))),
                            ("slo_misses", .number(SimulationReport.rounded(costs.misses))),
                            ("relative_p99", .number(SimulationReport.rounded(costs.relativeP99))),
                            ("worst_p99_ns", .number(SimulationReport.rounded(costs.worstP99))),
                            ("nodes", .integer(Int64(costs.nodes))), ("cores", .integer(Int64(costs.cores))),
                            ("coupled_pairs", .integer(Int64(costs.coupledPairs))),
                            ("pareto", .bool(advice.paretoFront.contains(index))),
                            (
                                "pods_on_one_node",
                                .array(
                                    advice.topology.podsStackedOnOneNode(in: candidate.grouping).map {
                                        .string($0.name)
                                    })
                            ),
                        ])
                    })
            ),
            (
                "pairs",
                .array(
                    advice.pairs.map { pair in
                        .object([
                            ("containers", .array([.string(pair.first), .string(pair.second)])),
                            ("flows", .array(pair.flows.map { .string($0) })),
                            ("one_pod", placement(pair.onePod)), ("two_pods_one_node", placement(pair.sameNode)),
                            ("two_nodes", placement(pair.apart)),
                            ("one_host_saving_ns", saving(pair.hostSaving)),
                            ("one_pod_saving_ns", saving(pair.podSaving)),
                            ("same_host", .string(pair.sameHost)), ("one_whole", .string(pair.oneWhole)),
                            ("scaling", .string(pair.scaling)), ("recommendation", .string(pair.recommendation)),
                        ])
                    })
            ),
        ])
    }
}

extension AdviceReport {
    /// One row per candidate raced, best first.
    public static func csv(_ advice: Advice) -> String {
        var table = CSVTable(header: [
            "rank", "grouping", "written", "replications", "dropped_in_round", "mean_score", "slo_misses",
            "relative_p99", "worst_p99_ns", "nodes", "cores", "coupled_pairs", "pareto",
        ])
        for index in advice.ranked.indices {
            let candidate = advice.ranked[index]
            let costs = advice.costs(of: index)
            table.append([
                "\(index + 1)", advice.name(of: index), advice.writtenNames[index] == nil ? "false" : "true",
                "\(candidate.runs.count)", candidate.droppedInRound.map { "\($0)" } ?? "",
                "\(SimulationReport.rounded(candidate.meanScore))", "\(SimulationReport.rounded(costs.misses))",
                "\(SimulationReport.rounded(costs.relativeP99))", "\(SimulationReport.rounded(costs.worstP99))",
                "\(costs.nodes)", "\(costs.cores)",
                "\(costs.coupledPairs)", advice.paretoFront.contains(index) ? "true" : "false",
            ])
        }
        return table.rendered()
    }
}
