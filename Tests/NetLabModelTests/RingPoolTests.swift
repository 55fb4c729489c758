import Testing

@testable import NetLabModel

/// The shared ring store of the connection halves: each ring is first in, first out through
/// growth and wrap-around, and holds pool memory only while it holds elements.
struct RingPoolTests {
    @Test func ringsKeepTheirOrderThroughGrowthAndWrapAround() {
        var pool = RingPool<Int64>()
        var rings = [PooledRing](repeating: PooledRing(), count: 3)
        var expected: [[Int64]] = [[], [], []]
        var next: Int64 = 0
        // Interleaved appends and removals on three rings, so their blocks sit side by side,
        // move as they grow, and wrap around inside their blocks.
        for step in 0..<2_000 {
            let ring = step % 3
            let appends = 1 + (step / 3) % 5
            for _ in 0..<appends {
                pool.append(next, to: &rings[ring])
                expected[ring].append(next)
                next += 1
            }
            let removals = (step / 3) % 4
            for _ in 0..<min(removals, expected[ring].count) {
                #expect(pool.removeFirst(from: &rings[ring]) == expected[ring].removeFirst())
            }
            #expect(rings[ring].count == expected[ring].count)
            for (offset, value) in expected[ring].enumerated() { #expect(pool[rings[ring], offset] == value) }
        }
        for ring in 0..<3 {
            #expect(pool.first(of: rings[ring]) == expected[ring].first)
            pool[rings[ring], 0] = -1
            #expect(pool.removeFirst(from: &rings[ring]) == -1)
            pool.removeAll(from: &rings[ring])
            #expect(rings[ring].isEmpty && pool.first(of: rings[ring]) == nil)
        }
    }

    @Test func emptiedRingsGiveTheirBlocksBack() {
        var pool = RingPool<Int32>()
        var rings = [PooledRing](repeating: PooledRing(), count: 10_000)
        // Ten thousand rings take turns holding up to 100 elements, one ring at a time: the pool
        // holds what one ring needs at once, not what each ever held.
        for index in rings.indices {
            for value in 0..<Int32(1 + index % 100) { pool.append(value, to: &rings[index]) }
            while !rings[index].isEmpty { _ = pool.removeFirst(from: &rings[index]) }
        }
        // Blocks of 8, 16, ..., 128 slots, each taken once and then reused.
        #expect(pool.slotCount == 8 + 16 + 32 + 64 + 128)
        // Rings that hold elements at once each keep a block.
        for index in 0..<100 { pool.append(Int32(index), to: &rings[index]) }
        #expect(pool.slotCount == 8 + 16 + 32 + 64 + 128 + 99 * 8)
    }
}
