import Testing

@testable import NetLabCore

@Suite struct RandomStreamTests {
    @Test func xoshiroMatchesItsReferenceImplementation() {
        // Outputs of the reference C code (xoshiro256starstar.c) from the state {1, 2, 3, 4}.
        var generator = RandomStream(state: (1, 2, 3, 4))
        #expect(generator.next() == 11_520)
        #expect(generator.next() == 0)
        #expect(generator.next() == 1_509_978_240)
        #expect(generator.next() == 1_215_971_899_390_074_240)
    }

    @Test func sameSeedAndStreamGiveTheSameSequenceBitForBit() {
        var first = RandomStream(seed: 42, streamName: "frontend->cache")
        var second = RandomStream(seed: 42, streamName: "frontend->cache")
        for _ in 0..<1_000 { #expect(first.next() == second.next()) }
    }

    @Test func differentSeedsOrStreamsDiffer() {
        var base = RandomStream(seed: 42, stream: 0)
        var otherSeed = RandomStream(seed: 43, stream: 0)
        var otherStream = RandomStream(seed: 42, stream: 1)
        let baseDraws = (0..<8).map { _ in base.next() }
        #expect(baseDraws != (0..<8).map { _ in otherSeed.next() })
        #expect(baseDraws != (0..<8).map { _ in otherStream.next() })
    }

    @Test func aStreamDoesNotDependOnWhichOtherStreamsExist() {
        // Streams are keyed, not numbered in creation order: making "b" first does not move "a".
        let alone = RandomStream(seed: 9, streamName: "a")
        _ = RandomStream(seed: 9, streamName: "b")
        let afterOthers = RandomStream(seed: 9, streamName: "a")
        var x = alone, y = afterOthers
        #expect((0..<16).map { _ in x.next() } == (0..<16).map { _ in y.next() })
    }

    @Test func openUnitDrawsStayStrictlyInsideZeroAndOne() {
        var generator = RandomStream(seed: 1)
        for _ in 0..<100_000 {
            let u = generator.nextOpenUnit()
            #expect(u > 0 && u < 1)
        }
    }

    @Test func streamsAreUncorrelated() {
        // Pearson correlation of 100k paired draws from neighbouring streams: |r| < 5/sqrt(n).
        var a = RandomStream(seed: 5, stream: 0)
        var b = RandomStream(seed: 5, stream: 1)
        let n = 100_000
        var sumA = 0.0, sumB = 0.0, sumAB = 0.0, sumAA = 0.0, sumBB = 0.0
        for _ in 0..<n {
            let x = a.nextOpenUnit(), y = b.nextOpenUnit()
            sumA += x; sumB += y; sumAB += x * y; sumAA += x * x; sumBB += y * y
        }
        let count = Double(n)
        let covariance = sumAB / count - (sumA / count) * (sumB / count)
        let r =
            covariance
            / ((sumAA / count - (sumA / count) * (sumA / count)) * (sumBB / count - (sumB / count) * (sumB / count)))
            .squareRoot()
        #expect(abs(r) < 5 / count.squareRoot())
    }
}
