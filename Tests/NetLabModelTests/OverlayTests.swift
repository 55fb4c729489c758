import NetLabCore
import Testing

@testable import NetLabModel

/// Which packets an overlay encapsulates: every packet between nodes, or, with `"between":
/// "zones"`, only those between nodes of different zones.
@Suite struct OverlayTests {
    /// Node a and b in one zone, c in another; a 1000 B UDP datagram from a pod on a to pods on b
    /// and c, half a millisecond apart, under `ideal` (no CPU costs: a path's latency is its
    /// serialisations and latencies).
    static func cluster(overlay: String) -> String {
        """
        { "name": "zones", "duration": "50ms", "warmup": "10ms", "profile": "ideal",
          "cluster": { "mtu": "1500B", "overlay": \(overlay),
            "nodes": [ { "name": "a", "zone": "z1", "nic": { "rate": "10Gbps" } },
                       { "name": "b", "zone": "z1", "nic": { "rate": "10Gbps" } },
                       { "name": "c", "zone": "z2", "nic": { "rate": "10Gbps" } } ],
            "fabric": { "rate": "10Gbps", "latency": "3us", "zone_latency": "0ns" } },
          "containers": ["src", "near", "far"],
          "flows": [
            { "from": "src", "to": "near", "pattern": "oneway", "transport": "udp", "size": "1000B", "interval": "1ms" },
            { "from": "src", "to": "far", "pattern": "oneway", "transport": "udp", "size": "1000B", "interval": "1ms",
              "start": "500us" } ],
          "groupings": [ { "name": "spread", "pods": [ { "containers": ["src"], "node": "a" },
            { "containers": ["near"], "node": "b" }, { "containers": ["far"], "node": "c" } ] } ] }
        """
    }

    /// One datagram's latency: two serialisations of its frame (sender's NIC, switch port) and
    /// two 3 µs hops.
    static func latency(frame: Int64) -> Int64 {
        (BitRate(bitsPerSecond: 10_000_000_000).serializationTime(of: frame) * 2 + .microseconds(6)).picoseconds
    }

    static let plainFrame: Int64 = 1000 + 28 + 38
    static let vxlanFrame: Int64 = plainFrame + 50

    @Test func anOverlayBetweenNodesEncapsulatesEveryPairOfNodes() throws {
        let flows = try Fixtures.run(Self.cluster(overlay: #""vxlan""#)).groupings[0].flows
        #expect(flows[0].latency.maximumPicoseconds == Self.latency(frame: Self.vxlanFrame))
        #expect(flows[1].latency.maximumPicoseconds == Self.latency(frame: Self.vxlanFrame))
    }

    @Test func anOverlayBetweenZonesRoutesWithinAZoneNatively() throws {
        let flows = try Fixtures.run(Self.cluster(overlay: #"{ "kind": "vxlan", "between": "zones" }"#)).groupings[0]
            .flows
        #expect(flows[0].latency.maximumPicoseconds == Self.latency(frame: Self.plainFrame))
        #expect(flows[1].latency.maximumPicoseconds == Self.latency(frame: Self.vxlanFrame))
    }

    @Test func theOverlayOfANodePairFollowsItsZones() throws {
        let topology = try Fixtures.topology(Self.cluster(overlay: #"{ "kind": "geneve", "between": "zones" }"#))
        let cluster = topology.cluster
        #expect(cluster.overlay(from: 0, to: 1).kind == .none)
        #expect(cluster.overlay(from: 0, to: 2).kind == .geneve)
        #expect(cluster.overlay(from: 2, to: 1).kind == .geneve)
        #expect(cluster.overlay(from: 2, to: 2).kind == .none)
        #expect(
            try Fixtures.topology(Self.cluster(overlay: #""geneve""#)).cluster.overlay(from: 0, to: 1).kind == .geneve)
    }
}
