import Foundation
import NetLabCore
import Testing

@testable import NetLabModel

/// `start` on open-loop flows, and links whose packets are settled on arrival.
@Suite struct FlowStartTests {
    static func oneway(_ extra: String) -> String {
        Fixtures.twoNodes(
            flow:
                #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "100B", "interval": "1ms"\#(extra) }"#,
            duration: "10ms", warmup: "0ms")
    }

    @Test func startSetsTheFirstDeparture() throws {
        // Without a start the first message leaves one interval in: 1, 2, ..., 9 ms.
        let plain = try Fixtures.run(Self.oneway(""))
        #expect(plain.groupings[0].flows[0].offeredMessages == 9)
        // From 0.5 ms on: 0.5, 1.5, ..., 9.5 ms.
        let started = try Fixtures.run(Self.oneway(#", "start": "500us""#))
        #expect(started.groupings[0].flows[0].offeredMessages == 10)
        #expect(started.groupings[0].flows[0].messages == 10)
        // A start after the end sends nothing.
        let late = try Fixtures.run(Self.oneway(#", "start": "20ms""#))
        #expect(late.groupings[0].flows[0].offeredMessages == 0)
    }

    @Test func startIsRefusedOnClosedLoopFlows() {
        let text = Fixtures.twoNodes(
            flow:
                #"{ "from": "src", "to": "dst", "pattern": "rpc", "request": "100B", "response": "100B", "callers": 2, "start": "1ms" }"#,
            duration: "20ms")
        #expect {
            _ = try Fixtures.topology(text)
        } throws: { error in
            "\(error)".contains("flows[0].start") && "\(error)".contains("open-loop")
        }
    }

    /// With no propagation delay a packet reaches the far end the instant its serialisation ends,
    /// possibly before the link counts it as sent; an overloaded link must still drop exactly
    /// what its buffer cannot hold and bound every delay by the buffer's drain time.
    @Test func overloadedLinkWithoutPropagationDropsTail() throws {
        let text = Fixtures.twoNodes(
            flow:
                #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "1000B", "interval": "500ns" }"#,
            duration: "20ms", warmup: "2ms", nicRate: "10Gbps", fabricRate: "10Gbps", latency: "0us", buffer: "10000B")
        let flow = try Fixtures.run(text).groupings[0].flows[0]
        let frameSeconds = 1066.0 * 8 / 10e9
        let lineRate = 18e-3 / frameSeconds
        #expect(flow.dropped > 0)
        #expect(
            Double(flow.messages) > lineRate * 0.99 && Double(flow.messages) < lineRate * 1.01,
            "\(flow.messages) vs \(lineRate)")
        #expect(flow.messages + flow.lostMessages <= flow.offeredMessages)
        // At most the buffer's bytes wait ahead, then two serialisations (NIC and switch port).
        let bound = (10_000.0 * 8 / 10e9 + 2 * frameSeconds) * 1e12
        #expect(Double(flow.latency.maximumPicoseconds) <= bound, "\(flow.latency.maximumPicoseconds) > \(bound)")
    }
}

/// Found by fuzzing (Fuzz/FuzzTopology on Examples/bulk-stream.json): where nothing costs time a
/// TCP stream's segments and ACKs answered one another within one call until the stack overflowed.
@Suite struct FreePathTests {
    @Test func aStreamThatCostsNothingIsRefusedWithAWarning() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Examples/bulk-stream.json"), encoding: .utf8)
        var topology = try Fixtures.topology(text)
        topology.duration = .milliseconds(60)
        let result = Experiment.run(topology, groupings: Array(topology.groupings.indices), profile: .ideal, seed: 1)
        let sameNode = try #require(result.groupings.first { $0.name == "backup-same-node" })
        #expect(sameNode.warnings.contains { $0.contains("costs nothing under profile ideal") })
        #expect(sameNode.flows[0].messages == 0)
        // Across nodes the link bounds the rate: that stream runs.
        let crossNode = try #require(result.groupings.first { $0.name != "backup-same-node" })
        #expect(crossNode.flows[0].bytes > 0)
    }

    /// A large message on a free path arrives in thousands of segments, each answered at once:
    /// the chain continues through the event loop instead of the stack.
    @Test func longZeroTimeChainsDoNotOverflowTheStack() throws {
        let text = Fixtures.threeGroupings(
            flows:
                #"{ "from": "app", "to": "helper", "pattern": "rpc", "request": "64MiB", "response": "64B", "rate": "20/s" }"#,
            duration: "300ms", profile: "ideal")
        let result = try Fixtures.run(text)
        #expect(result.groupings[0].flows[0].messages > 0)
        #expect(result.groupings[1].flows[0].messages > 0)
    }
}
