import NetLabCore
import Testing

@testable import NetLabModel

@Suite struct PathBehaviourTests {
    static let smallRPC =
        #"{ "name": "rpc", "from": "app", "to": "helper", "pattern": "rpc", "request": "100B", "response": "100B", "rate": "2000/s" }"#

    /// Under linux-default, small rpc calls are fastest inside a pod, then between pods on one
    /// node, then across nodes, at the median and on average.
    @Test(arguments: ["tcp", "uds", "pipe", "shm"])
    func intraPodBeatsSameNodeBeatsCrossNode(transport: String) throws {
        let flow =
            #"{ "name": "rpc", "from": "app", "to": "helper", "pattern": "rpc", "transport": "\#(transport)", "fallback": "tcp", "request": "100B", "response": "100B", "rate": "2000/s" }"#
        let result = try Fixtures.run(Fixtures.threeGroupings(flows: flow))
        let flows = result.groupings.map { $0.flows[0] }
        #expect(
            flows.map(\.path) == [
                transport == "tcp" ? .loopback : PathClass(rawValue: transport)!, .sameNode, .crossNode,
            ])
        let medians = flows.map { $0.latency.valueAtPercentile(50) }
        let means = flows.map { $0.latency.meanNanoseconds }
        #expect(medians[0] < medians[1] && medians[1] < medians[2], "medians \(medians)")
        #expect(means[0] < means[1] && means[1] < means[2], "means \(means)")
        #expect(flows.allSatisfy { $0.messages > 300 })
    }

    /// Published round trips for small messages (DESIGN.md §3): shm ~0.2 µs, pipe ~6 µs, Unix
    /// socket ~8 µs, loopback TCP ~14 µs; pod-to-pod 45–105 µs same node, 80–275 µs across nodes.
    /// The default profile lands in those ranges (within ±50% for the IPC figures).
    @Test func defaultProfileReproducesPublishedRoundTrips() throws {
        func median(_ transport: String, grouping: Int) throws -> Double {
            let flow =
                #"{ "name": "rpc", "from": "app", "to": "helper", "pattern": "rpc", "transport": "\#(transport)", "fallback": "tcp", "request": "64B", "response": "64B", "rate": "500/s" }"#
            let result = try Fixtures.run(Fixtures.threeGroupings(flows: flow, duration: "100ms"))
            return Double(result.groupings[grouping].flows[0].latency.valueAtPercentile(50)) / 1000
        }
        let shm = try median("shm", grouping: 0), pipe = try median("pipe", grouping: 0)
        let uds = try median("uds", grouping: 0), loopback = try median("tcp", grouping: 0)
        let sameNode = try median("tcp", grouping: 1), crossNode = try median("tcp", grouping: 2)
        #expect(shm > 0.1 && shm < 0.3, "shm \(shm) µs")
        #expect(pipe > 3 && pipe < 9, "pipe \(pipe) µs")
        #expect(uds > 4 && uds < 12, "uds \(uds) µs")
        #expect(loopback > 7 && loopback < 21, "loopback \(loopback) µs")
        #expect(sameNode >= 45 && sameNode <= 105, "same-node \(sameNode) µs")
        #expect(crossNode >= 80 && crossNode <= 275, "cross-node \(crossNode) µs")
    }

    /// Distance: a node's uplink latency is paid on its own link each way, and a zone boundary
    /// adds the fabric's `zone_latency` each way; nodes of one zone pay neither. Under `ideal` a
    /// 64 B round trip is exactly the propagation plus four serialisations at 10 Gb/s.
    @Test func zonesAndUplinksAddTheirLatency() throws {
        let text = """
            { "name": "zones", "duration": "200ms", "warmup": "20ms", "profile": "ideal",
              "cluster": { "nodes": [ { "name": "a", "zone": "z1" }, { "name": "b", "zone": "z1" },
                                      { "name": "c", "zone": "z2", "latency": "100us" } ],
                           "fabric": { "rate": "10Gbps", "latency": "5us", "zone_latency": "1ms" } },
              "containers": [ "cli", "srv" ],
              "flows": [ { "name": "rpc", "from": "cli", "to": "srv", "pattern": "rpc", "request": "64B", "response": "64B", "rate": "100/s" } ],
              "groupings": [
                { "name": "same-zone", "pods": [ { "containers": ["cli"], "node": "a" }, { "containers": ["srv"], "node": "b" } ] },
                { "name": "other-zone", "pods": [ { "containers": ["cli"], "node": "a" }, { "containers": ["srv"], "node": "c" } ] } ] }
            """
        let result = try Fixtures.run(text)
        let near = Double(result.groupings[0].flows[0].latency.valueAtPercentile(50))
        let far = Double(result.groupings[1].flows[0].latency.valueAtPercentile(50))
        // Four switch hops of 5 µs and four 122 B frames (64 B + TCP/IP 40 + Ethernet 18) at
        // 10 Gb/s, 97.6 ns each (the histogram is within 0.8%).
        let propagation = 20_000.0, serialisation = 4 * 97.6
        #expect(abs(near / (propagation + serialisation) - 1) < 0.008, "\(near) ns")
        // Twice across the zones and twice over c's uplink.
        #expect(abs(far / (propagation + serialisation + 2_000_000 + 200_000) - 1) < 0.008, "\(far) ns")
    }

    /// A same-node pod pair never touches the NIC, so a bulk stream between them exceeds its rate;
    /// across nodes the same stream is held below it.
    @Test func sameNodeStreamIsNotLimitedByTheNIC() throws {
        let flow = #"{ "name": "bulk", "from": "app", "to": "helper", "pattern": "stream" }"#
        let result = try Fixtures.run(Fixtures.threeGroupings(flows: flow, duration: "100ms", nicRate: "1Gbps"))
        let sameNode = result.groupings[1].flows[0], crossNode = result.groupings[2].flows[0]
        #expect(sameNode.path == .sameNode && crossNode.path == .crossNode)
        #expect(sameNode.throughputBitsPerSecond > 1.5e9, "same-node \(sameNode.throughputBitsPerSecond)")
        #expect(crossNode.throughputBitsPerSecond < 1e9, "cross-node \(crossNode.throughputBitsPerSecond)")
        #expect(crossNode.throughputBitsPerSecond > 0.8e9, "cross-node \(crossNode.throughputBitsPerSecond)")
        let nic = try #require(result.groupings[2].links.first { $0.name == "a/nic-tx" })
        #expect(nic.utilization > 0.9)
    }

    /// TCP recovers from drops: a finite stream through a switch port slower than the sender's
    /// NIC, with a small buffer, loses segments there and still delivers every byte.
    @Test func tcpRetransmitsDroppedSegmentsAndDeliversEverything() throws {
        let flow = #"{ "from": "src", "to": "dst", "pattern": "stream", "bytes": "4MiB" }"#
        let result = try Fixtures.run(
            Fixtures.twoNodes(
                flow: flow, duration: "2s", warmup: "0s", nicRate: "1Gbps", receiverNICRate: "500Mbps",
                fabricRate: "1Gbps", buffer: "16KiB"))
        let stream = try #require(result.groupings.first?.flows.first)
        #expect(stream.dropped > 0)
        #expect(stream.retransmissions > 0)
        #expect(stream.bytes == 4 << 20)
    }

    /// UDP has no recovery: overload drops datagrams and the messages they belonged to are lost.
    @Test func udpOverloadLosesMessages() throws {
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "1000B", "rate": "180000/s" }"#
        let result = try Fixtures.run(Fixtures.twoNodes(flow: flow, duration: "100ms", buffer: "64KiB"))
        let udp = try #require(result.groupings.first?.flows.first)
        #expect(udp.lostMessages > 1000)
        #expect(udp.dropped >= udp.lostMessages)
        // 1 Gb/s carries at most 117k such frames per second.
        #expect(udp.throughputBitsPerSecond < 1e9)
    }

    /// A flow to a container with replicas on two nodes spreads over both, round-robin.
    @Test func replicasSpreadTrafficAndMixPaths() throws {
        let text = """
            { "duration": "100ms", "profile": "ideal",
              "cluster": { "nodes": [ { "name": "a" }, { "name": "b" } ] },
              "containers": ["client", "server"],
              "flows": [ { "from": "client", "to": "server", "pattern": "oneway", "size": "100B", "interval": "1ms" } ],
              "groupings": [ { "name": "g", "pods": [ { "containers": ["client"], "node": "a" },
                                                      { "containers": ["server"], "nodes": ["a", "b"] } ] } ] }
            """
        let result = try Fixtures.run(text)
        let flow = try #require(result.groupings.first?.flows.first)
        #expect(Set(flow.pathMix.map(\.0)) == [.sameNode, .crossNode])
        #expect(flow.messages >= 98)
    }
}
