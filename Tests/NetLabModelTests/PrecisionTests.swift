import NetLabCore
import Testing

@testable import NetLabModel

/// `--precision`: replications added until the intervals are as narrow as asked.
@Suite struct PrecisionTests {
    static func topology() throws -> Topology {
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": { "exp": "800B" }, "interval": { "exp": "10us" } }"#
        return try Fixtures.topology(Fixtures.twoNodes(flow: flow, duration: "10ms", warmup: "1ms"))
    }

    /// Adding replications later gives exactly the runs asking for all of them at once gives,
    /// so a precision study is the plain study of the size it stopped at.
    @Test func replicationsAddedInBatchesEqualOneBatch() throws {
        let topology = try Self.topology()
        let whole = Experiment.replicate(topology, groupings: [0], profile: .ideal, seed: 3, replications: 5)
        let parts =
            Experiment.replicate(topology, groupings: [0], profile: .ideal, seed: 3, indices: 0..<2)
            + Experiment.replicate(topology, groupings: [0], profile: .ideal, seed: 3, indices: 2..<5)
        #expect(whole.map(\.seed) == parts.map(\.seed))
        #expect(
            whole.map { $0.groupings[0].flows[0].latency.sumPicoseconds }
                == parts.map { $0.groupings[0].flows[0].latency.sumPicoseconds })
    }

    /// The study stops once the widest interval is within the target, having needed more than
    /// it started with, and its reported width is the width of its own replications.
    @Test func stopsWhenTheTargetIsReached() throws {
        let topology = try Self.topology()
        let start = ReplicatedResult(
            Experiment.replicate(topology, groupings: [0], profile: .ideal, seed: 11, replications: 3))
        let startWidth = start.precision(of: .p99).worstRelativeHalfWidth
        let target = startWidth / 2
        let (result, status) = Experiment.replicate(
            topology, groupings: [0], profile: .ideal, seed: 11, initial: 3, precision: target, of: .p99,
            maximum: 200)
        #expect(status.isReached)
        #expect(status.replications > 3 && status.replications == result.replications.count)
        #expect(status.worstRelativeHalfWidth <= target)
        #expect(result.precision(of: .p99).worstRelativeHalfWidth == status.worstRelativeHalfWidth)
        #expect(!status.flow.isEmpty && !status.grouping.isEmpty)
    }

    /// A target out of reach stops at the maximum and says it was not reached.
    @Test func stopsAtTheMaximumWhenTheTargetIsOutOfReach() throws {
        let topology = try Self.topology()
        let (result, status) = Experiment.replicate(
            topology, groupings: [0], profile: .ideal, seed: 11, initial: 2, precision: 1e-6, of: .mean, maximum: 7)
        #expect(result.replications.count == 7)
        #expect(!status.isReached)
        #expect(status.worstRelativeHalfWidth > 1e-6)
    }
}
