import NetLabCore
import Testing

@testable import NetLabModel

/// Token-bucket shapers on pod interfaces (`tc tbf`, the Kubernetes bandwidth plugin).
@Suite struct ShapingTests {
    /// Two pods on two 10 Gb/s nodes, `src` shaped by `bandwidth`, one flow; `ideal`, so that
    /// every delay is the network's.
    static func shaped(_ bandwidth: String, flow: String, duration: String = "300ms") -> String {
        """
        { "name": "shaped", "duration": "\(duration)", "warmup": "50ms", "profile": "ideal",
          "cluster": { "nodes": [ { "name": "a", "nic": { "rate": "10Gbps" } }, { "name": "b", "nic": { "rate": "10Gbps" } } ],
                       "fabric": { "rate": "10Gbps", "latency": "5us" } },
          "containers": [ { "name": "src"\(bandwidth.isEmpty ? "" : #", "bandwidth": \#(bandwidth)"#) }, "dst" ],
          "flows": [ \(flow) ],
          "groupings": [
            { "name": "two-nodes", "pods": [ { "containers": ["src"], "node": "a" }, { "containers": ["dst"], "node": "b" } ] },
            { "name": "one-pod", "pods": [ { "containers": ["src", "dst"], "node": "a" } ] } ] }
        """
    }

    static let stream = #"{ "name": "bulk", "from": "src", "to": "dst", "pattern": "stream" }"#

    /// A stream out of a pod shaped to 100 Mb/s runs at the shaper's rate (wire bytes: 1460 of
    /// every 1538), the shaper is the grouping's named limit, and traffic inside the pod passes
    /// no shaper.
    @Test func aStreamRunsAtTheShapedRate() throws {
        let result = try Fixtures.run(Self.shaped(#"{ "egress": "100Mbps" }"#, flow: Self.stream))
        let split = result.groupings[0]
        let rate = split.flows[0].throughputBitsPerSecond
        #expect(rate > 0.9 * 100e6 * 1460 / 1538 && rate <= 1.01 * 100e6, "\(rate)")
        #expect(split.limits.contains { $0.name == "src#0/egress-tbf" }, "\(split.limits.map(\.name))")
        let shaper = try #require(split.links.first { $0.name == "src#0/egress-tbf" })
        #expect(shaper.utilization > 0.95 && shaper.utilization <= 1, "\(shaper.utilization)")
        let inPod = result.groupings[1].links.filter { $0.name.hasSuffix("-tbf") }
        #expect(!inPod.isEmpty && inPod.allSatisfy { $0.utilization == 0 }, "in one pod, loopback is not shaped")
    }

    /// A shaper on node a's NIC (`tc tbf` on its eth0) holds everything that leaves the node, of
    /// every pod on it, to its rate; traffic within the node and into it passes unshaped.
    @Test func aNodesNICShaperHoldsWhatLeavesTheNode() throws {
        let text = Self.shaped("", flow: Self.stream).replacingOccurrences(
            of: #"{ "name": "a", "nic": { "rate": "10Gbps" } }"#,
            with: #"{ "name": "a", "nic": { "rate": "10Gbps", "shaping": "200Mbps" } }"#)
        let result = try Fixtures.run(text)
        let apart = result.groupings[0]
        let rate = apart.flows[0].throughputBitsPerSecond
        #expect(rate > 0.9 * 200e6 * 1460 / 1538 && rate <= 1.01 * 200e6, "\(rate)")
        #expect(apart.limits.contains { $0.name == "a/nic-tbf" }, "\(apart.limits.map(\.name))")
        #expect(apart.limits.first { $0.name == "a/nic-tbf" }?.description.contains("NIC shaper") == true)
        // Within node a nothing leaves it.
        let idle = try #require(result.groupings[1].links.first { $0.name == "a/nic-tbf" })
        #expect(idle.utilization == 0)
        // Into node a, the other way, nothing is shaped.
        let inbound = try Fixtures.run(
            text.replacingOccurrences(of: #""from": "src", "to": "dst""#, with: #""from": "dst", "to": "src""#)
        ).groupings[0].flows[0].throughputBitsPerSecond
        #expect(inbound > 5e9, "\(inbound)")
    }

    /// A 16 KiB call that fits the burst is not slowed by a shaper of the NIC's rate, where a NIC
    /// of that rate serialises every packet: the shaper's whole point.
    @Test func aMessageWithinTheBurstPassesUnthrottled() throws {
        let call =
            #"{ "name": "call", "from": "src", "to": "dst", "pattern": "rpc", "request": "16KiB", "response": "64B", "rate": "100/s" }"#
        let free = try Fixtures.run(Self.shaped("", flow: call)).groupings[0].flows[0]
        let shaped = try Fixtures.run(
            Self.shaped(#"{ "egress": { "rate": "100Mbps", "burst": "128KiB" } }"#, flow: call)
        ).groupings[0].flows[0]
        #expect(shaped.latency.valueAtPercentile(50) == free.latency.valueAtPercentile(50))
        let slowNIC = try Fixtures.run(
            Self.shaped("", flow: call).replacingOccurrences(
                of: #"{ "name": "a", "nic": { "rate": "10Gbps" } }"#,
                with: #"{ "name": "a", "nic": { "rate": "100Mbps" } }"#)
        ).groupings[0].flows[0]
        // 16 KiB at 100 Mb/s: about 1.3 ms more than at 10 Gb/s.
        #expect(slowNIC.latency.valueAtPercentile(50) > free.latency.valueAtPercentile(50) + 1_200_000)
    }

    /// The bucket, kept as time: a full bucket passes packets at once until it is empty, then
    /// each waits exactly for the tokens it lacks; a quiet spell refills it up to the burst only.
    @Test func tokensAreSavedUpToTheBurst() {
        var link = Link(
            name: "t", shaping: TokenBucket(rate: BitRate(bitsPerSecond: 8_000_000_000), burst: ByteCount(bytes: 3_000))
        )
        // 8 Gb/s: 1 ns per byte; the burst is 3,000 ns of sending.
        #expect(link.takeTokens(at: 0, bytes: 1_000) == 0)
        #expect(link.takeTokens(at: 0, bytes: 1_000) == 0)
        #expect(link.takeTokens(at: 0, bytes: 1_000) == 0)
        #expect(link.takeTokens(at: 0, bytes: 1_000) == 1_000_000)  // ps
        #expect(link.takeTokens(at: 1_000_000, bytes: 500) == 500_000)
        // A long quiet spell refills only the burst.
        #expect(link.takeTokens(at: 1_000_000_000, bytes: 3_000) == 0)
        #expect(link.takeTokens(at: 1_000_000_000, bytes: 1) == 1_000)
    }

    /// A shaper drops what would queue past its limit: a 1 Gb/s stream into 10 Mb/s with a small
    /// limit loses packets there, and TCP recovers them.
    @Test func theLimitDrops() throws {
        let result = try Fixtures.run(
            Self.shaped(#"{ "egress": { "rate": "10Mbps", "burst": "16KiB", "limit": "32KiB" } }"#, flow: Self.stream))
        let split = result.groupings[0]
        let shaper = try #require(split.links.first { $0.name == "src#0/egress-tbf" })
        #expect(shaper.dropped > 0)
        #expect(split.flows[0].retransmissions > 0)
        #expect(split.flows[0].throughputBitsPerSecond > 0.8 * 10e6 * 1460 / 1538)
    }

    /// A pod takes the slowest limit of its containers, each way.
    @Test func aPodTakesItsSlowestLimit() {
        let fast = BandwidthLimits(egress: TokenBucket(rate: BitRate(bitsPerSecond: 1_000_000_000)))
        let slow = BandwidthLimits(
            ingress: TokenBucket(rate: BitRate(bitsPerSecond: 5_000_000)),
            egress: TokenBucket(rate: BitRate(bitsPerSecond: 10_000_000)))
        let pod = BandwidthLimits.ofPod([fast, slow, BandwidthLimits()])
        #expect(pod.egress?.rate.bitsPerSecond == 10_000_000)
        #expect(pod.ingress?.rate.bitsPerSecond == 5_000_000)
    }
}
