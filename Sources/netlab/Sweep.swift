import ArgumentParser
import Foundation
import NetLabCore
import NetLabKubernetes
import NetLabModel
import NetLabReport
import NetLabSweep

/// `netlab sweep`: every grouping at every point of a parameter grid, on all cores, or one shard
/// of it, or the Kubernetes Job that runs the shards on a cluster.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every grouping at every point of a parameter grid (--set), on all cores or as shards.",
        discussion: """
            Each --set PATH=VALUES adds an axis; the points are their cross product (the last axis \
            varies fastest). PATH is a place in the topology: flows[NAME].rate, cluster.fabric.rate, \
            containers[NAME].cpu, cluster.nodes[NAME].cores, duration ... VALUES is a comma-separated \
            list or a range: LOW..HIGH:xFACTOR (geometric) or LOW..HIGH:+STEP (arithmetic).

            Output: tidy rows, one per point × grouping × flow × metric (mean and 95% interval over \
            --replications), as CSV or JSON lines, or a summary table (worst p99 per point and grouping).

            Scale-out: --shard I/N runs every job (point × replication) whose number is I modulo N \
            and writes a shard file; netlab merge combines the N files into exactly the output of the \
            whole sweep. --emit kubernetes-job writes an Indexed Job that runs the shards on a \
            cluster (docs/scale-out.md).

            Examples:
              netlab sweep Examples/web-log-sidecar.json --set 'flows[http].rate=1000/s,2000/s,5000/s' --set 'cluster.fabric.rate=1Gbps,10Gbps'
              netlab sweep Examples/web-log-sidecar.json --set 'flows[access-log].size=64B..64KiB:x4' --replications 5 --format csv
              netlab sweep Examples/web-log-sidecar.json --set 'flows[http].rate=1000/s..8000/s:x2' --shard 0/4 --output shard-0.jsonl
              netlab sweep Examples/web-log-sidecar.json --set 'flows[http].rate=1000/s..8000/s:x2' --emit kubernetes-job --shards 4 --output sweep-job.yaml
            """
    )

    @Argument(help: "The topology file (JSON, or YAML named .yaml/.yml).")
    var topology: String

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("An axis: PATH=VALUES (repeat for more axes).", valueName: "path=values"))
    var sets: [String] = []

    @Option(name: .customLong("grouping"), help: "Run only this grouping (repeat to pick several). Default: all.")
    var groupings: [String] = []

    @Option(help: ArgumentHelp("Replications per point (seeds derived from --seed).", valueName: "n"))
    var replications: Int = 1

    @Option(help: "Simulated time of each run, e.g. 300ms (default: the topology's duration).")
    var duration: String?

    @OptionGroup var model: ModelOptions

    @Option(help: ArgumentHelp("Run shard I of N and write its shard file (for netlab merge).", valueName: "I/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Write what runs the sweep elsewhere instead: kubernetes-job.", valueName: "kind"))
    var emit: String?

    @Option(help: ArgumentHelp("With --emit: shards of the Job (default 8, at most the sweep's jobs).", valueName: "n"))
    var shards: Int?

    @Option(help: ArgumentHelp("With --emit: shard pods at a time (default: all).", valueName: "n"))
    var parallelism: Int?

    @Option(
        help: ArgumentHelp(
            "With --emit: the image holding netlab (built from the repository's Dockerfile; default netlab:latest).",
            valueName: "image"))
    var image: String?

    @Option(
        help: ArgumentHelp(
            "With --emit: the ReadWriteMany PersistentVolumeClaim for the shard files (default netlab-results).",
            valueName: "claim"))
    var resultsClaim: String?

    @Option(
        help: ArgumentHelp(
            "With --emit: how long the merge Job waits for every shard's file before it gives up, naming the shards missing, as a duration such as 21600s (default 86400s, a day).",
            valueName: "duration"))
    var mergeDeadline: String?

    @OptionGroup var report: ReportOptions<SweepFormat>

    func run() throws {
        if report.formatOption.format != nil, shard != nil || emit != nil {
            throw InputError(
                source: "--format", location: nil,
                problem: shard != nil
                    ? "a shard's file has a form of its own (netlab merge reads it)"
                    : "--emit writes a Kubernetes manifest",
                fix: "leave --format out here, or give it to netlab merge")
        }
        let text = try readInput(topology)
        let plan = try makePlan(text: text)
        if let emit {
            try emitJob(emit, plan: plan)
            return
        }
        let jobOptions = [
            ("--shards", shards != nil), ("--parallelism", parallelism != nil), ("--image", image != nil),
            ("--results-claim", resultsClaim != nil), ("--merge-deadline", mergeDeadline != nil),
        ]
        if let (option, _) = jobOptions.first(where: { $0.1 }) {
            throw InputError(
                source: option, location: nil, problem: "it describes the Job that --emit kubernetes-job writes",
                fix: "add --emit kubernetes-job, or give --shard I/N to run one shard here")
        }
        // A shard's file has a form of its own; the whole sweep's output is refused a wrong name here.
        if shard == nil { try report.checkFormat() }
        let part = try shard.map { text throws(SweepError) in try SweepShard(parsing: text) } ?? .whole
        let (index, count) = (part.index, part.count)
        if count > plan.jobs {
            var standardError = StandardError()
            print(
                "netlab: warning: --shard \(index)/\(count): the sweep has \(plan.jobs) job(s) (points × replications), so \(count - plan.jobs) of the \(count) shards run nothing\(index >= plan.jobs ? ", this one included" : "")",
                to: &standardError)
        }
        let first = try plan.topology(at: 0)
        let profile = try model.resolvedProfile(for: first, topologyPath: topology)
        let jobs = plan.jobs(in: part)
        let progress = ProgressLine(label: "sweep")
        let start = ContinuousClock.now
        let records = try SweepRunner.run(plan, jobs: jobs, profile: profile) { finished, total in
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let remaining = seconds / Double(finished) * Double(total - finished)
            progress.update("\(finished)/\(total) runs, about \(Int(saturating: remaining.rounded()))s left")
        }
        progress.finish()
        let result = SweepResult(plan: plan, topology: first.name, records: records)
        if shard != nil {
            try writeOutput(SweepShardFile.render(result, shard: index, of: count, jobs: plan.jobs), to: report.file)
        } else {
            try Self.write(result, with: report)
        }
    }

    func makePlan(text: String) throws -> SweepPlan {
        guard (1...1000).contains(replications) else {
            throw InputError(
                source: "--replications", location: nil, problem: "\(replications) is out of range",
                fix: "give 1 to 1000")
        }
        var axes: [SweepAxis] = []
        for set in sets {
            let axis = try SweepAxis(parsing: set)
            if axes.contains(where: { "\($0.path)" == "\(axis.path)" }) {
                throw InputError(
                    source: "--set", location: nil, problem: "\(axis.path) is swept twice",
                    fix: "give each path once, with all its values in one --set")
            }
            axes.append(axis)
        }
        var fixed: [(path: ParameterPath, value: String)] = []
        if let duration { fixed.append((try ParameterPath(parsing: "duration"), duration)) }
        return try SweepPlan(
            file: topology, topologyText: text, axes: axes, fixed: fixed, groupings: groupings,
            replications: replications, seed: model.seed, profileName: model.profile ?? "topology")
    }

    /// A whole sweep's result (run here, or merged from shards) in the format asked for.
    static func write(_ result: SweepResult, with report: ReportOptions<SweepFormat>) throws {
        try report.emit(
            table: { SweepReport.table(result) }, csv: { SweepReport.csv(result) },
            jsonLines: { SweepReport.jsonLines(result) })
    }

    func emitJob(_ kind: String, plan: SweepPlan) throws {
        guard kind == "kubernetes-job" else {
            throw InputError(
                source: "--emit", location: nil, problem: "unknown kind \"\(kind)\"", fix: "use kubernetes-job")
        }
        guard shard == nil else {
            throw InputError(
                source: "--shard", location: nil, problem: "--emit writes the Job that picks the shards",
                fix: "leave --shard out")
        }
        var shards = self.shards ?? 8
        guard (1...10_000).contains(shards) else {
            throw InputError(
                source: "--shards", location: nil, problem: "\(shards) is out of range", fix: "give 1 to 10000")
        }
        if shards > plan.jobs {
            var standardError = StandardError()
            print(
                "netlab: warning: --shards \(shards) is more than the sweep's \(plan.jobs) job(s) (points × replications); the Job runs \(plan.jobs) shard(s)",
                to: &standardError)
            shards = plan.jobs
        }
        var arguments: [String] = []
        for set in sets { arguments += ["--set", set] }
        for grouping in groupings { arguments += ["--grouping", grouping] }
        arguments += ["--replications", "\(replications)"]
        if let duration { arguments += ["--duration", duration] }
        if let seed = model.seed { arguments += ["--seed", "\(seed)"] }
        if let profile = model.profile { arguments += ["--profile", profile] }
        // What every shard pod would trip over is refused here, before a Job is written: each
        // point's topology (the first and last hold every axis's extremes), the groupings, the profile.
        let first = try plan.topology(at: 0)
        _ = try plan.topology(at: plan.points - 1)
        _ = try groupingIndices(groupings, in: first, topologyPath: topology)
        _ = try model.resolvedProfile(for: first, topologyPath: topology)
        let deadline = try mergeDeadline.map { text throws(SweepError) in
            try SweepJobManifest.mergeDeadlineSeconds(parsing: text)
        }
        // The longest suffix added ("-topology") leaves a valid DNS-1123 label.
        let name = KubernetesNames.label("netlab-sweep-" + first.name, maxLength: 63 - 9)
        let manifest = SweepJobManifest(
            name: name, image: image ?? "netlab:latest", shards: shards, mergeDeadlineSeconds: deadline ?? 86_400,
            parallelism: min(parallelism ?? shards, shards), claim: resultsClaim ?? "netlab-results",
            topologyFile: URL(fileURLWithPath: topology).lastPathComponent, topologyText: plan.topologyText,
            sweepArguments: arguments, mergeArguments: ["--format", "csv"])
        try writeOutput(try manifest.yaml(), to: report.file)
    }
}
