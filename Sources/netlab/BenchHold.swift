import ArgumentParser
import NetLabCore
import NetLabReport
import NetLabSpec

/// `netlab bench hold`: the classic hold model on the event core.
struct BenchHold: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Run the hold model on the event queue and report events per second.",
        discussion: """
            The classic event-queue benchmark: prefill PENDING events at exponential times (mean \
            1 ms), then EVENTS times remove the earliest and schedule a successor at its time plus \
            an exponential increment. Only the EVENTS phase is timed. ns-3's bench-scheduler and \
            SimPy can run the same workload, so the figures compare directly.

            Examples:
              netlab bench hold --pending 100000 --events 20000000
              netlab bench hold --pending 1e6 --events 2e7 --queue 4-ary-heap --format json
            """
    )

    @Option(help: "Events kept pending in the queue (e.g. 1000, 1e5, 1e6).")
    var pending: Count

    @Option(help: "Hold operations to time (e.g. 2e7).")
    var events: Count

    @Option(parsing: .unconditional, help: "Seed of the random increments.")
    var seed: UInt64 = 1

    @Option(
        help:
            "Event queue: radix-heap (the default), 4-ary-heap, or adaptive (what simulations use: an inline array up to 32 pending events, the radix heap past that)."
    )
    var queue: QueueChoice = .radixHeap

    @OptionGroup var output: ReportOptions<DataFormat>

    enum QueueChoice: String, ExpressibleByArgument, CaseIterable {
        case radixHeap = "radix-heap"
        case quaternaryHeap = "4-ary-heap"
        case adaptive
    }

    /// The options' combinations, checked before anything runs. Called from `run()`, not as
    /// ArgumentParser's `validate()`, which would wrap the error and lose its one-line form.
    func checkOptions() throws {
        try output.checkFormat()
        guard pending.value >= 1, pending.value <= 100_000_000 else {
            throw InputError(
                source: "--pending", location: nil, problem: "\(pending) is out of range",
                fix: "give between 1 and 1e8 pending events")
        }
        guard events.value >= 1 else {
            throw InputError(
                source: "--events", location: nil, problem: "\(events) is out of range", fix: "give at least 1 event")
        }
    }

    func run() throws {
        try checkOptions()
        let seconds: Double
        switch queue {
        case .radixHeap: seconds = measure(RadixHeapQueue.self)
        case .quaternaryHeap: seconds = measure(QuaternaryHeapQueue.self)
        case .adaptive: seconds = measure(AdaptiveQueue.self)
        }
        let rate = Double(events.value) / seconds
        let json = { () -> JSONValue in
            JSONValue.object([
                ("pending", .integer(Int64(pending.value))),
                ("events", .integer(Int64(events.value))),
                ("seconds", .number(seconds)),
                ("events_per_second", .number(rate.rounded())),
                ("queue", .string(queue.rawValue)),
                ("seed", .integer(Int64(bitPattern: seed))),
            ])
        }
        let csv = { () -> String in
            var table = CSVTable(header: ["queue", "pending", "events", "seconds", "events_per_second"])
            table.append([queue.rawValue, "\(pending)", "\(events)", "\(seconds)", "\(rate.rounded())"])
            return table.rendered()
        }
        let text = { () -> String in
            var table = TextTable(columns: [
                .init("queue"), .init("pending", alignment: .right), .init("events", alignment: .right),
                .init("seconds", alignment: .right), .init("M events/s", alignment: .right),
            ])
            table.append([
                queue.rawValue, "\(pending)", "\(events)", FigureText.fixed(seconds, 3),
                FigureText.fixed(rate / 1e6, 2),
            ])
            return table.rendered()
        }
        try output.emit(table: text, json: json, csv: csv)
    }

    /// Seconds taken by the timed phase on queue type `Queue`.
    private func measure<Queue: EventQueue>(_: Queue.Type) -> Double {
        var model = HoldModel<Queue>(pending: pending.value, seed: seed)
        let clock = ContinuousClock()
        let start = clock.now
        model.run(events: events.value)
        let elapsed = clock.now - start
        let (wholeSeconds, attoseconds) = elapsed.components
        return Double(wholeSeconds) + Double(attoseconds) / 1e18
    }
}
