import ArgumentParser
import NetLabCore
import NetLabModel
import NetLabReport
import NetLabSpec

/// `netlab bench simulate`: the event loop of a topology's groupings, timed alone.
struct BenchSimulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Time the simulation of a topology's groupings, without reading or reporting.",
        discussion: """
            Runs each grouping ROUNDS times, one after another on one core, and reports the best \
            and median wall-clock time of the simulation itself (building the run, the event \
            loop and collecting its result; not reading the file or printing), with events and \
            delivered messages per second and the delivered messages' delays, so that another \
            simulator's run of the same model can be checked and compared in one sitting \
            (Benchmarks/htsim/run-htsim-comparison.sh does that against htsim).

            Examples:
              netlab bench simulate Examples/bulk-stream.json --rounds 5
              netlab bench simulate topology.json --grouping cross-node --duration 100ms --format json
            """
    )

    @Argument(help: "The topology file (JSON or YAML).")
    var topology: String

    @Option(name: .customLong("grouping"), help: "Time only this grouping (repeatable; default: all).")
    var groupings: [String] = []

    @Option(help: "Simulated time per run (e.g. 100ms); default: the topology's.")
    var duration: String?

    @Option(help: "Cost profile: linux-default, ideal, or a profile file (default: the topology's).")
    var profile: String?

    @Option(help: "Runs per grouping; the best and the median are reported.")
    var rounds: Int = 3

    @Option(parsing: .unconditional, help: "Seed of the random streams (default: the topology's).")
    var seed: UInt64?

    @OptionGroup var output: ReportOptions<DataFormat>

    /// The options' combinations, checked before anything runs. Called from `run()`, not as
    /// ArgumentParser's `validate()`, which would wrap the error and lose its one-line form.
    func checkOptions() throws {
        try output.checkFormat()
        guard (1...1000).contains(rounds) else {
            throw InputError(
                source: "--rounds", location: nil, problem: "\(rounds) is out of range", fix: "give 1 to 1000 rounds")
        }
    }

    func run() throws {
        try checkOptions()
        let (spec, _) = try loadTopology(topology, duration: duration)
        let chosen = try resolveProfile(profile, for: spec, topologyPath: topology)
        let indices = try groupingIndices(groupings, in: spec, topologyPath: topology)
        var rows: [Row] = []
        for index in indices {
            var times: [Double] = []
            var result: GroupingResult?
            for _ in 0..<rounds {
                let clock = ContinuousClock()
                let start = clock.now
                result = Experiment.simulate(spec, grouping: index, profile: chosen, seed: seed ?? spec.seed)
                let (whole, atto) = (clock.now - start).components
                times.append(Double(whole) + Double(atto) / 1e18)
            }
            times.sort()
            rows.append(
                Row(
                    grouping: spec.groupings[index].name, result: result!, best: times[0],
                    median: times[times.count / 2]))
        }
        try emit(rows)
    }

    struct Row {
        var grouping: String
        var result: GroupingResult
        var best: Double
        var median: Double
        var messages: Int64 { result.flows.reduce(0) { $0 + $1.messages } }
        /// The delivered messages' delays, exactly: smallest, mean and largest, in nanoseconds.
        var smallestDelay: Double {
            Double(result.flows.filter { $0.latency.count > 0 }.map(\.latency.minimumPicoseconds).min() ?? 0) / 1000
        }
        var meanDelay: Double {
            let total = result.flows.reduce(0.0) { $0 + $1.latency.sumPicoseconds }
            let count = result.flows.reduce(0) { $0 + $1.latency.count }
            return count == 0 ? 0 : total / Double(count) / 1000
        }
        var largestDelay: Double { Double(result.flows.map(\.latency.maximumPicoseconds).max() ?? 0) / 1000 }
    }

    private func emit(_ rows: [Row]) throws {
        let json = { () -> JSONValue in
            JSONValue.array(
                rows.map { row in
                    .object([
                        ("grouping", .string(row.grouping)),
                        ("events", .integer(Int64(row.result.events))),
                        ("messages", .integer(row.messages)),
                        ("min_delay_ns", .number(row.smallestDelay)),
                        ("mean_delay_ns", .number(row.meanDelay)),
                        ("max_delay_ns", .number(row.largestDelay)),
                        ("best_seconds", .number(row.best)),
                        ("median_seconds", .number(row.median)),
                        ("events_per_second", .number((Double(row.result.events) / row.best).rounded())),
                        ("messages_per_second", .number((Double(row.messages) / row.best).rounded())),
                    ])
                })
        }
        let csv = { () -> String in
            var table = CSVTable(header: [
                "grouping", "events", "messages", "min_delay_ns", "mean_delay_ns", "max_delay_ns", "best_seconds",
                "median_seconds",
            ])
            for row in rows {
                table.append([
                    row.grouping, "\(row.result.events)", "\(row.messages)",
                    FigureText.fixed(row.smallestDelay, 3),
                    FigureText.fixed(row.meanDelay, 3), FigureText.fixed(row.largestDelay, 3), "\(row.best)",
                    "\(row.median)",
                ])
            }
            return table.rendered()
        }
        let text = { () -> String in
            var table = TextTable(columns: [
                .init("grouping"), .init("events", alignment: .right), .init("messages", alignment: .right),
                .init("min delay ns", alignment: .right), .init("mean ns", alignment: .right),
                .init("max ns", alignment: .right),
                .init("best s", alignment: .right), .init("median s", alignment: .right),
                .init("M events/s", alignment: .right), .init("M msgs/s", alignment: .right),
            ])
            for row in rows {
                table.append([
                    row.grouping, "\(row.result.events)", "\(row.messages)",
                    FigureText.fixed(row.smallestDelay, 1),
                    FigureText.fixed(row.meanDelay, 1), FigureText.fixed(row.largestDelay, 1),
                    FigureText.fixed(row.best, 3), FigureText.fixed(row.median, 3),
                    FigureText.fixed(Double(row.result.events) / row.best / 1e6, 2),
                    FigureText.fixed(Double(row.messages) / row.best / 1e6, 2),
                ])
            }
            return table.rendered()
        }
        try output.emit(table: text, json: json, csv: csv)
    }
}
