import Benchmark
import NetLabCore

/// The hold model (see `HoldModel`) at three queue sizes, on both queue implementations.
///
/// Each benchmark iteration runs one million hold operations (`scalingFactor: .mega`, so the
/// throughput column reads in M events/s) on a model built and warmed up outside the
/// measurement, so the malloc count reports what steady state costs: zero.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        warmupIterations: 1,
        scalingFactor: .mega,
        maxDuration: .seconds(10),
        maxIterations: 5
    )

    for pending in [1_000, 100_000, 1_000_000] {
        registerHold(RadixHeapQueue.self, pending: pending)
        registerHold(QuaternaryHeapQueue.self, pending: pending)
        registerHold(AdaptiveQueue.self, pending: pending)
    }
    // A packet path keeps a handful of events pending, which the adaptive queue serves from its
    // inline array.
    for pending in [8, 24] {
        registerHold(RadixHeapQueue.self, pending: pending)
        registerHold(AdaptiveQueue.self, pending: pending)
    }
}

func registerHold<Queue: EventQueue>(_: Queue.Type, pending: Int) {
    let configuration = Benchmark.Configuration(
        thresholds: [
            // Steady state allocates nothing: a single allocation in a million events fails the check.
            .mallocCountTotal: .init(absolute: [.p100: 0])
        ]
    )
    Benchmark("hold \(Queue.name) pending=\(pending)", configuration: configuration) { benchmark in
        var model = HoldModel<Queue>(pending: pending, seed: 1)
        // Warm up: let every bucket reach its working size before measuring.
        model.run(events: 4 * pending + 100_000)
        benchmark.startMeasurement()
        blackHole(model.run(events: benchmark.scaledIterations.count))
        benchmark.stopMeasurement()
    }
}
