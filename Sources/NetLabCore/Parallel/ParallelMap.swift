import Dispatch

/// `transform` of each index in `0..<count`, computed on all cores, the results in index order.
/// Each index is its own piece of work, so the result does not depend on how many cores there
/// are or in what order they finish; only `progress`, told after each piece (how many are done,
/// of how many), sees the order. The one place netlab runs work in parallel: simulations of
/// groupings, replications, sweep points, calibration cases.
public func parallelMap<Result: Sendable>(
    count: Int, progress: @Sendable (_ finished: Int, _ total: Int) -> Void = { _, _ in },
    _ transform: @Sendable (Int) -> Result
) -> [Result] {
    let slots = ParallelSlots<Result>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
        let finished = slots.store(transform(index), at: index)
        progress(finished, count)
    }
    return slots.results
}

/// Results written by parallel workers, each into its own slot, under a lock.
private final class ParallelSlots<Result: Sendable>: @unchecked Sendable {
    private var slots: [Result?]
    private var finished = 0
    private let lock = DispatchSemaphore(value: 1)

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ result: Result, at slot: Int) -> Int {
        lock.wait()
        defer { lock.signal() }
        slots[slot] = result
        finished += 1
        return finished
    }

    /// Every slot's result, once all workers are done.
    var results: [Result] {
        lock.wait()
        defer { lock.signal() }
        return slots.map { $0! }
    }
}
