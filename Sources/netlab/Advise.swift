import ArgumentParser
import NetLabAdvisor
import NetLabModel
import NetLabReport

/// `netlab advise`: the groupings the user did not write, searched and raced.
struct Advise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the groupings of a topology's containers and recommend one, with reasons.",
        discussion: """
            Enumerates every way to put the containers into pods and the pods' replicas onto nodes \
            (identical nodes are interchangeable, so placements that differ only by swapping them \
            count once), keeps those whose CPU requests fit and that obey the topology's rules \
            (same_host, separate, replicas, scaling, scales_with; see docs/topology.md), and races \
            them on common random numbers: a few replications each, the clearly worse dropped, \
            more replications for the close ones. Beyond --max-candidates distinct groupings it \
            searches heuristically and says so. The topology's own groupings, if any, are raced too.

            It prints the count of candidates, the best grouping with its interval, the Pareto \
            front (SLO misses, relative p99, nodes, cores, pairs coupled in one pod) and, for each pair \
            of containers that talk: must they share a host, are they one whole, do they scale \
            together, and what to do.

            Examples:
              netlab advise Examples/web-log-sidecar.json
              netlab advise Examples/frontend-backend-cache.json --duration 300ms --format json
            """
    )

    @Argument(help: "The topology file (JSON, or YAML named .yaml/.yml); \"groupings\" may be left out.")
    var topology: String

    @Option(help: "Simulated time of each run, e.g. 300ms (default: the topology's duration).")
    var duration: String?

    @Option(
        help: ArgumentHelp(
            "What to minimise after SLO misses: mean-p99 (the geometric mean of the flows' p99, which orders groupings as simulate's relative p99 does) or worst-p99 (the slowest flow's p99 alone).",
            valueName: "objective"))
    var objective: AdviceObjective = .meanP99

    @Option(help: ArgumentHelp("Replications the finalists end with (default 12).", valueName: "n"))
    var replications: Int = 12

    @Option(
        help: ArgumentHelp(
            "Search exhaustively up to this many distinct groupings (default 2000); beyond, heuristically.",
            valueName: "n"))
    var maxCandidates: Int = 2000

    @OptionGroup var model: ModelOptions

    @OptionGroup var output: ReportOptions<DataFormat>

    func run() throws {
        try output.checkFormat()
        let (spec, _) = try loadTopology(topology, duration: duration, requireGroupings: false)
        let chosen = try model.resolvedProfile(for: spec, topologyPath: topology)
        guard (3...1000).contains(replications) else {
            throw InputError(
                source: "--replications", location: nil, problem: "\(replications) is out of range",
                fix: "give 3 to 1000 (the race starts every candidate with 3)")
        }
        guard (1...1_000_000).contains(maxCandidates) else {
            throw InputError(
                source: "--max-candidates", location: nil, problem: "\(maxCandidates) is out of range",
                fix: "give 1 to 1000000")
        }
        var settings = AdviceSettings(seed: model.seed ?? spec.seed)
        settings.exhaustiveLimit = maxCandidates
        settings.race.finalReplications = replications
        settings.race.objective = objective
        let progress = ProgressLine(label: "advise \(spec.name)")
        let advice = Advisor.advise(spec, profile: chosen, settings: settings) { done, _, alive in
            progress.update("\(done) runs, \(alive) candidates in the race")
        }
        progress.finish()
        guard !advice.ranked.isEmpty else {
            let refused = advice.space.refused.map { "\($0.count) \($0.reason)" }.joined(separator: "; ")
            throw InputError(
                source: topology, location: nil,
                problem:
                    "no grouping of the containers fits the nodes and keeps the rules\(refused.isEmpty ? "" : " (refused: \(refused))")",
                fix:
                    "give the nodes more cores or add nodes, lower CPU requests, or relax same_host, separate and scaling"
            )
        }
        try output.emit(
            table: { AdviceReport.table(advice) }, json: { AdviceReport.json(advice) },
            csv: { AdviceReport.csv(advice) })
    }
}

extension AdviceObjective: ExpressibleByArgument {}
