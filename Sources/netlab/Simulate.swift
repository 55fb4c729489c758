import ArgumentParser
import Foundation
import NetLabCore
import NetLabModel
import NetLabReport

/// `netlab simulate`: every grouping of a topology on the same traffic, side by side.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a topology's traffic under each of its groupings and compare them.",
        discussion: """
            A topology file names the nodes, the containers, the flows between containers, and one \
            or more groupings (which containers share a pod, which node each pod replica runs on). \
            Every grouping runs on the same random draws, so differences come from the grouping \
            alone. The file format is documented in docs/topology.md; cost profiles in docs/profiles.md.

            Examples:
              netlab simulate Examples/web-log-sidecar.json
              netlab simulate Examples/frontend-backend-cache.json --grouping cache-with-backend --format json
              netlab simulate Examples/bulk-stream.json --profile ideal --duration 500ms --format csv --output result.csv
              netlab simulate Examples/web-log-sidecar.json --output report.html      (an HTML report with charts)
              netlab simulate Examples/online-shop.json --breakdown       (where each flow's latency goes, by stage)

            Output fields are described in docs/output.md.
            """
    )

    @Argument(help: "The topology file (JSON, or YAML named .yaml/.yml).")
    var topology: String

    @Option(name: .customLong("grouping"), help: "Run only this grouping (repeat to pick several). Default: all.")
    var groupings: [String] = []

    @Option(
        help: ArgumentHelp(
            "Exit with status 1 if this grouping misses a flow's \"slo\" (or 'best': if every grouping misses one), naming each miss on standard error.",
            valueName: "grouping|best"))
    var require: String?

    @Option(
        help: ArgumentHelp(
            "Independent replications (seeds derived from --seed); reports each metric's mean and 95% confidence interval.",
            valueName: "n"))
    var replications: Int?

    @Option(
        help: ArgumentHelp(
            "Add replications until each flow and grouping's metric (see --precision-metric) has a 95% interval within this share of its mean: 5% (or the fraction 0.05).",
            discussion:
                "Starts with --replications (default 5) and stops at --max-replications, with a warning if the target is not reached.",
            valueName: "percent"))
    var precision: String?

    @Option(help: "The metric --precision narrows: p99 (default), p50, mean (latency) or throughput.")
    var precisionMetric: PrecisionMetric = .p99

    @Option(help: ArgumentHelp("The most replications --precision may run (default 100).", valueName: "n"))
    var maxReplications: Int = 100

    @Option(help: "Simulated time, e.g. 500ms or 2s (default: the topology's duration).")
    var duration: String?

    @Flag(
        help: ArgumentHelp(
            "Add the latency of each flow by stage to the table: where the microseconds go (send, wake-ups, stack, veth and bridge, queues, ...), on average and at the tail.",
            discussion:
                "JSON, CSV and HTML always carry the breakdown (docs/output.md); with replications the table shows the first."
        ))
    var breakdown = false

    @OptionGroup var model: ModelOptions

    @OptionGroup var report: ReportOptions<SimulateFormat>

    func run() throws {
        var (spec, text) = try loadTopology(topology, duration: duration)
        // Only the HTML report shows its input; a cluster's text runs to megabytes.
        if try report.resolvedFormat() != .html { text = "" }
        let chosen = try model.resolvedProfile(for: spec, topologyPath: topology)
        let indices = try groupingIndices(groupings, in: spec, topologyPath: topology)

        if let replications, !(1...1000).contains(replications) {
            throw InputError(
                source: "--replications", location: nil, problem: "\(replications) is out of range",
                fix: "give 1 to 1000 (10 is typical)")
        }
        let progress = ProgressLine(label: "simulate \(spec.name)")
        let replicated: ReplicatedResult
        if let precision {
            replicated = try replicateToPrecision(spec, groupings: indices, profile: chosen, target: precision) {
                progress.update($0)
            }
        } else {
            replicated = ReplicatedResult(
                Experiment.replicate(
                    spec, groupings: indices, profile: chosen, seed: model.seed ?? spec.seed,
                    replications: replications ?? 1
                ) { finished, total in
                    progress.update("\(finished)/\(total) runs done")
                })
        }
        progress.finish()
        if let status = replicated.precisionStatus, let precision, !status.isReached {
            var standardError = StandardError()
            print(
                "netlab: warning: --precision \(precision) not reached in \(status.replications) replications (--max-replications): the widest \(precisionMetric.rawValue) interval is ±\(FigureText.percent(status.worstRelativeHalfWidth)) of its mean (flow \(status.flow), grouping \(status.grouping)); raise --max-replications or --duration",
                to: &standardError)
        }
        let result = replicated.replications[0]
        try report.emit(
            table: { SimulationReport.table(replicated) + (breakdown ? "\n" + BreakdownReport.table(result) : "") },
            json: { SimulationReport.json(replicated) },
            csv: { SimulationReport.csv(replicated) },
            html: {
                SimulationReport.html(
                    result, replicated: replicated,
                    inputs: ReportInputs(
                        command: commandLineText, netlabVersion: Netlab.version, files: [(topology, text)]))
            },
            junit: { SimulationReport.junit(replicated) }, markdown: { SimulationReport.markdown(replicated) })
        if let require { try checkObjectives(replicated, require: require) }
    }

    /// `--precision`: replications until the target is met or `--max-replications` run.
    func replicateToPrecision(
        _ spec: Topology, groupings: [Int], profile: CostProfile, target: String,
        progress: (String) -> Void
    ) throws -> ReplicatedResult {
        guard let fraction = Share.fraction(target, bareFractionsUpTo: 0.5) else {
            throw InputError(
                source: "--precision", location: nil,
                problem: "\"\(target)\" is neither a percentage nor a fraction up to 0.5",
                fix: "give a percentage such as 5% (or the fraction 0.05)")
        }
        guard fraction >= 0.001, fraction <= 0.5 else {
            throw InputError(
                source: "--precision", location: nil, problem: "\"\(target)\" is not a share from 0.1% to 50%",
                fix: "give a percentage such as 5%")
        }
        let initial = replications ?? 5
        guard initial >= 2 else {
            throw InputError(
                source: "--replications", location: nil, problem: "--precision needs at least 2 to start from",
                fix: "give --replications 2 or more, or leave it out (5)")
        }
        guard (initial...10_000).contains(maxReplications) else {
            throw InputError(
                source: "--max-replications", location: nil,
                problem: "\(maxReplications) is below the \(initial) replications to start from or above 10000",
                fix: "give \(initial) to 10000")
        }
        let metric = precisionMetric
        var (result, status) = Experiment.replicate(
            spec, groupings: groupings, profile: profile, seed: model.seed ?? spec.seed, initial: initial,
            precision: fraction, of: metric, maximum: maxReplications
        ) { status in
            progress(
                "\(status.replications) replications: widest \(metric.rawValue) interval ±\(FigureText.percent(status.worstRelativeHalfWidth)) (target \(target))"
            )
        }
        result.precisionStatus = status
        return result
    }

    /// `--require`: the named grouping (or, for `best`, at least one grouping) meets every flow's
    /// objective, or each miss is named on standard error and the exit status is 1. Objectives are
    /// judged as the verdict judges them: on the means over the replications.
    func checkObjectives(_ replicated: ReplicatedResult, require: String) throws {
        let verdict = Verdict(replicated)
        guard let misses = verdict.missesFailing(required: require) else {
            throw InputError(
                source: "--require", location: nil, problem: "no grouping \"\(require)\" was simulated",
                fix: "use best or one of \(verdict.groupingNames.joined(separator: ", "))")
        }
        guard !misses.isEmpty else { return }
        var standardError = StandardError()
        for miss in misses {
            print(
                "netlab: SLO missed: grouping \(miss.grouping): flow \(miss.flow): \(miss.reason)", to: &standardError)
        }
        throw ExitCode(1)
    }
}

extension PrecisionMetric: ExpressibleByArgument {}
