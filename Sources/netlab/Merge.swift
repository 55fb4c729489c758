import ArgumentParser
import NetLabReport
import NetLabSweep

/// `netlab merge`: the shard files of one sweep combined into the whole sweep's output.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the shard files of a sweep into the output of the whole sweep.",
        discussion: """
            Checks that every file comes from the same sweep (topology, --set, --replications, \
            --seed, --profile), that each shard index is given once and none is missing, and that no \
            file is truncated; the output is byte for byte what the sweep run whole would print.

            Example:
              netlab merge shard-0.jsonl shard-1.jsonl shard-2.jsonl shard-3.jsonl --format csv --output sweep.csv
            """
    )

    @Argument(help: "The shard files (from netlab sweep --shard I/N --output FILE).")
    var shards: [String] = []

    @OptionGroup var report: ReportOptions<SweepFormat>

    func run() throws {
        try report.checkFormat()
        var read: [(file: String, shard: SweepShardFile.Shard)] = []
        for path in shards { read.append((path, try SweepShardFile.read(try readInput(path), file: path))) }
        try Sweep.write(try SweepShardFile.merge(read), with: report)
    }
}
