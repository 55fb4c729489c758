import NetLabCore
import Testing

@testable import NetLabModel

/// What a node's dataplane has and lacks: netfilter on its bridge, interrupt coalescing on its
/// NIC. A path that lacks them is not charged for them.
@Suite struct NodeDataplaneTests {
    /// Node a, where `c1` calls `s` and `c2` calls `t` on node b, with `nodeA` added to a's
    /// fields; 64 B calls under linux-default with its variability off.
    static func run(nodeA: String) throws -> (sameNode: GroupingResult.FlowResult, crossNode: GroupingResult.FlowResult)
    {
        let text = """
            { "name": "dataplane", "duration": "200ms", "warmup": "20ms",
              "profile": {"base": "linux-default", "overrides": {"variability": "off"}},
              "cluster": { "nodes": [ { "name": "a", "cores": 8\(nodeA) }, { "name": "b", "cores": 8 } ] },
              "containers": ["c1", "s", "c2", "t"],
              "flows": [
                { "from": "c1", "to": "s", "pattern": "rpc", "request": "64B", "response": "64B", "callers": 1, "think": "1ms" },
                { "from": "c2", "to": "t", "pattern": "rpc", "request": "64B", "response": "64B", "callers": 1, "think": "1ms" } ],
              "groupings": [ { "name": "g", "pods": [
                { "containers": ["c1"], "node": "a" }, { "containers": ["s"], "node": "a" },
                { "containers": ["c2"], "node": "a" }, { "containers": ["t"], "node": "b" } ] } ] }
            """
        let flows = try Fixtures.run(text).groupings[0].flows
        return (flows[0], flows[1])
    }

    /// A node without netfilter charges none on its bridge: nothing between pods on it, and across
    /// nodes only the other node's bridge (the response it forwards), 12 µs.
    /// (A hop's work is split over its stages in shares of 2⁻¹⁶ of the hop, so the figures hold
    /// within a thousandth, not to the picosecond.)
    @Test func aNodeWithoutNetfilterChargesNone() throws {
        func isAbout(_ value: Double?, _ expected: Double) -> Bool { abs((value ?? -1) - expected) <= expected / 1000 }
        let with = try Self.run(nodeA: "")
        #expect(isAbout(with.sameNode.breakdown.mean[.netfilter], 24_000_000))
        #expect(isAbout(with.crossNode.breakdown.mean[.netfilter], 24_000_000))
        let without = try Self.run(nodeA: #", "netfilter": false"#)
        #expect(without.sameNode.breakdown.mean[.netfilter] == 0)
        #expect(isAbout(without.crossNode.breakdown.mean[.netfilter], 12_000_000))
        #expect(
            without.sameNode.latency.valueAtPercentile(50) < with.sameNode.latency.valueAtPercentile(50) - 20_000)
    }

    /// A node's NIC holds what it receives for its own interrupt delay, not the profile's (10 µs):
    /// the response into node a waits 3 µs, the request into b still 10 µs.
    @Test func aNodesNICHasItsOwnInterruptDelay() throws {
        let profiles = try Self.run(nodeA: "").crossNode.breakdown.mean[.devices]!
        let own = try Self.run(nodeA: #", "nic": { "interrupt_delay": "3us" }"#).crossNode.breakdown.mean[.devices]!
        #expect(profiles - own == 7_000_000, "devices \(profiles) ps against \(own) ps")
    }
}
