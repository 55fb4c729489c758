import ArgumentParser
import NetLabCore
import NetLabModel
import NetLabReport

/// `netlab compare`: did a change make any flow slower?
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two simulate results; exit with status 1 when a flow got worse.",
        discussion: """
            Reads two JSON results of 'netlab simulate' of the same topology (a baseline and the \
            current run) and compares every grouping's flows: p50 and p99 latency, throughput and \
            lost messages. A metric regresses when it is worse than the baseline by more than the \
            tolerance and, when both results were run with --replications, beyond both 95% \
            confidence intervals. Regressions are printed one per line and the exit status is 1; \
            with none it is 0; unreadable or mismatched results exit with 2. See docs/ci.md.

            Examples:
              netlab simulate topology.json --replications 10 --format json --output current.json
              netlab compare baseline.json current.json --tolerance 5%
            """)

    @Argument(help: "The baseline result (JSON from netlab simulate).")
    var baseline: String

    @Argument(help: "The current result.")
    var current: String

    @Option(
        help: ArgumentHelp("How much worse a metric may get before it counts, as a percentage.", valueName: "percent"))
    var tolerance: String = "5%"

    func run() throws {
        guard let share = Share.fraction(tolerance), share < 10 else {
            throw InputError(
                source: "--tolerance", location: nil, problem: "\"\(tolerance)\" is not a percentage",
                fix: "write e.g. 5%")
        }
        let outcome = try ResultComparison.compare(
            baseline: try readInput(baseline), baselineFile: baseline, current: try readInput(current),
            currentFile: current, tolerance: share)
        print(outcome.report(tolerance: tolerance), terminator: "")
        if !outcome.regressions.isEmpty { throw ExitCode(1) }
    }
}
