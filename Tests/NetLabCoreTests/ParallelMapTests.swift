import NetLabCore
import Synchronization
import Testing

/// The one parallel loop: results in index order, the same as a sequential map whatever the
/// cores and the order they finish in, and progress told once per piece.
@Suite struct ParallelMapTests {
    @Test func resultsAreInIndexOrderAsASequentialMapGivesThem() {
        // Pieces of very different lengths, so that they finish out of order.
        @Sendable func work(_ index: Int) -> UInt64 {
            var random = RandomStream(seed: UInt64(index), stream: 7)
            var sum: UInt64 = 0
            for _ in 0..<((index % 7) * 2_000) { sum &+= random.next() }
            return sum
        }
        let counted = Mutex<[Int]>([])
        let parallel = parallelMap(
            count: 500,
            progress: { finished, total in
                counted.withLock { $0.append(finished) }
                #expect(total == 500)
            }
        ) { work($0) }
        #expect(parallel == (0..<500).map(work))
        #expect(counted.withLock { $0.sorted() } == Array(1...500))
        #expect(parallelMap(count: 0) { $0 }.isEmpty)
    }
}
