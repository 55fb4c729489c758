import NetLabCore
import Testing

@testable import NetLabModel

/// Latency by stage: every message's stages add up to its latency, to the picosecond, on every
/// path class and kind of message; unloaded, the stages are the profile's costs; loaded, the
/// queueing stage is what queueing theory says.
@Suite struct BreakdownTests {
    /// How long `everyPath` runs: 300 ms, and 150 ms under internal checks, where every operation
    /// on the event queue checks the whole queue (CI's checked run took 288 s for 300 ms). Every
    /// flow completes messages in either (the same-node Unix socket flow, which falls back to TCP
    /// behind the stream, completes its first after about 110 ms).
    static var everyPathDuration: String {
        #if NETLAB_INTERNAL_CHECKS
            "150ms"
        #else
            "300ms"
        #endif
    }

    /// Two nodes in two zones, a VXLAN overlay, shapers on one pod, and every transport and kind of
    /// message between two containers, in one pod, two pods on a node and two nodes.
    static let everyPath = """
        { "name": "every-path", "duration": "\(everyPathDuration)", "warmup": "20ms", "seed": 3, "profile": "linux-default",
          "cluster": { "overlay": "vxlan",
            "nodes": [ { "name": "a", "cores": 4, "zone": "east" }, { "name": "b", "cores": 4, "zone": "west" } ],
            "fabric": { "rate": "10Gbps", "latency": "2us", "zone_latency": "50us" } },
          "containers": [ { "name": "app", "threads": 2, "bandwidth": { "egress": "2Gbps" } }, { "name": "helper", "threads": 2 } ],
          "flows": [
            { "name": "rpc-tcp", "from": "app", "to": "helper", "pattern": "rpc", "request": "200B", "response": { "exp": "8KiB" }, "interval": { "exp": "200us" }, "server_time": "20us" },
            { "name": "rpc-closed", "from": "app", "to": "helper", "pattern": "rpc", "request": "64B", "response": "64B", "callers": 4, "think": { "exp": "100us" } },
            { "name": "per-call", "from": "app", "to": "helper", "pattern": "rpc", "request": "1KiB", "response": "1KiB", "interval": "1ms", "connection": "per-call" },
            { "name": "bbr", "from": "helper", "to": "app", "pattern": "rpc", "request": "64B", "response": "64KiB", "interval": "2ms", "congestion_control": "bbr" },
            { "name": "udp", "from": "app", "to": "helper", "pattern": "oneway", "transport": "udp", "size": { "exp": "3000B" }, "interval": { "exp": "100us" } },
            { "name": "uds", "from": "app", "to": "helper", "pattern": "oneway", "transport": "uds", "fallback": "tcp", "size": "4KiB", "interval": "150us" },
            { "name": "pipe", "from": "helper", "to": "app", "pattern": "rpc", "transport": "pipe", "fallback": "tcp", "request": "100B", "response": "100B", "interval": "300us" },
            { "name": "shm", "from": "app", "to": "helper", "pattern": "oneway", "transport": "shm", "fallback": "udp", "size": "256B", "interval": "50us" },
            { "name": "stream", "from": "app", "to": "helper", "pattern": "stream" }
          ],
          "groupings": [
            { "name": "one-pod", "pods": [ { "containers": ["app", "helper"], "node": "a" } ] },
            { "name": "same-node", "pods": [ { "containers": ["app"], "node": "a" }, { "containers": ["helper"], "node": "a" } ] },
            { "name": "cross-node", "pods": [ { "containers": ["app"], "node": "a" }, { "containers": ["helper"], "node": "b" } ] } ] }
        """

    @Test func stagesAddUpToTheLatencyOnEveryPath() throws {
        let result = try Fixtures.run(Self.everyPath)
        var pathsSeen = Set<PathClass>()
        for grouping in result.groupings {
            for flow in grouping.flows {
                let breakdown = flow.breakdown
                #expect(flow.messages > 0, "\(grouping.name)/\(flow.name) completed nothing")
                #expect(breakdown.messages == Int64(flow.latency.count), "\(grouping.name)/\(flow.name)")
                #expect(
                    breakdown.total.total == breakdown.latencyTotal,
                    "\(grouping.name)/\(flow.name): stages \(breakdown.total.total) ps, latencies \(breakdown.latencyTotal) ps"
                )
                #expect(Stage.allCases.allSatisfy { breakdown.total[$0] >= 0 }, "\(grouping.name)/\(flow.name)")
                pathsSeen.insert(flow.path)
            }
        }
        #expect(pathsSeen == Set(PathClass.allCases))
        let crossNode = result.groupings[2]
        let rpc = try #require(crossNode.flows.first { $0.name == "rpc-tcp" })
        for stage: Stage in [
            .send, .receive, .stack, .devices, .netfilter, .overlay, .serialization, .propagation, .server,
        ] {
            #expect(rpc.breakdown.total[stage] > 0, "cross-node rpc has no \(stage.key)")
        }
        // 50 µs between zones each way, and the fabric's 2 µs twice each way (the NIC's interrupt
        // delay is the devices').
        #expect(abs(rpc.breakdown.mean[.propagation]! - 108e6) < 1e6, "\(rpc.breakdown.mean[.propagation]!)")
        let perCall = try #require(crossNode.flows.first { $0.name == "per-call" })
        #expect(perCall.breakdown.mean[.transport]! > 200e6, "a handshake crosses the zones twice")
        let onePod = result.groupings[0]
        for flow in onePod.flows {
            #expect(flow.breakdown.total[.overlay] == 0 && flow.breakdown.total[.propagation] == 0)
        }
    }

    /// Loss: a shaper with a small queue drops a TCP stream's segments; the time until they are
    /// resent is recovery, and the stages still add up.
    @Test func lossRecoveryIsItsOwnStage() throws {
        let text = """
            { "name": "lossy", "duration": "400ms", "warmup": "20ms", "profile": "linux-default",
              "cluster": { "nodes": [ { "name": "a" }, { "name": "b" } ] },
              "containers": [ { "name": "src", "bandwidth": { "egress": { "rate": "200Mbps", "burst": "16KiB", "limit": "20KiB" } } }, "dst" ],
              "flows": [ { "from": "src", "to": "dst", "pattern": "rpc", "request": "128KiB", "response": "64B", "callers": 2, "think": "1ms" } ],
              "groupings": [ { "name": "split", "pods": [ { "containers": ["src"], "node": "a" }, { "containers": ["dst"], "node": "b" } ] } ] }
            """
        let flow = try Fixtures.run(text).groupings[0].flows[0]
        #expect(flow.retransmissions > 0)
        #expect(flow.breakdown.total[.recovery] > 0)
        #expect(flow.breakdown.total.total == flow.breakdown.latencyTotal)
    }

    /// docs/model.md's worked example, by stage: a 64 B loopback TCP rpc in one pod under
    /// `linux-default` with its variability off costs, each way, a send call of 1,006,400 ps, the
    /// stack's 1.2 µs to transmit and to receive, a context switch of 1.5 µs and a receive call
    /// of 1,006,400 ps, and nothing else.
    @Test func theWorkedExampleByStage() throws {
        let profile = #"{"base": "linux-default", "overrides": {"variability": "off"}}"#
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "rpc", "request": "64B", "response": "64B", "callers": 1, "think": "1ms" }"#
        let result = try Fixtures.run(HostModelTests.onePod(cores: 4, flows: flow, profile: profile))
        let mean = result.groupings[0].flows[0].breakdown.mean
        let expected: [Stage: Double] = [
            .send: 2 * 1_006_400, .stack: 2 * 2_400_000, .wakeup: 2 * 1_500_000, .receive: 2 * 1_006_400,
        ]
        for stage in Stage.allCases {
            #expect(mean[stage] == expected[stage] ?? 0, "\(stage.key): \(mean[stage]!) ps")
        }
    }

    /// The tail is the p99's band and above: it starts at most a quarter octave below the p99,
    /// holds at least 1% of the messages, and its stages add up to its mean latency.
    @Test func theTailStartsAtTheP99Band() throws {
        let result = try Fixtures.run(Self.everyPath)
        let flow = try #require(result.groupings[2].flows.first { $0.name == "rpc-tcp" })
        let p99 = SimDuration(picoseconds: Int64(flow.latency.valueAtPercentile(99)) * 1000)
        let tail = try #require(flow.breakdown.tail(from: p99))
        #expect(tail.from <= p99 && tail.from.picoseconds * 5 / 4 > p99.picoseconds, "from \(tail.from), p99 \(p99)")
        #expect(tail.messages * 100 >= flow.messages && tail.messages < flow.messages)
        let tailMean = tail.mean.values.reduce(0, +)
        let overall = flow.breakdown.mean.values.reduce(0, +)
        #expect(tailMean > overall)
    }

    /// The stages named for a difference: largest extra first, until 90% of it is covered (at
    /// most four); stages that went the other way are said as an offset; no text when the
    /// "slower" tail is not slower.
    @Test func theStagesThatMakeADifferenceAreNamed() {
        func tail(_ means: [Stage: Double]) -> LatencyBreakdown.Tail {
            var all: [Stage: Double] = [:]
            for stage in Stage.allCases { all[stage] = means[stage] ?? 0 }
            return LatencyBreakdown.Tail(from: .zero, messages: 1, mean: all)
        }
        let faster = tail([.wakeup: 1e6, .stack: 4e6])
        let slower = tail([.wakeup: 32.2e6, .stack: 4e6, .devices: 9.8e6, .netfilter: 0.5e6])
        let difference = StageDifference(faster: faster, slower: slower)
        #expect(difference.stages.map(\.stage) == [.wakeup, .devices])
        #expect(difference.text == "wake-ups 31.2us, veth/bridge/NIC 9.80us")
        let offset = StageDifference(faster: faster, slower: tail([.wakeup: 11e6, .stack: 1e6]))
        #expect(offset.text == "wake-ups 10.0us, less in others by 3.00us")
        #expect(StageDifference(faster: slower, slower: faster).text == nil)
    }

    /// Only bands that hold messages are kept: an outlier 10,000 times slower than the rest adds
    /// one band, and the tail from it is that message alone.
    @Test func anOutlierAddsOneBand() throws {
        var breakdown = LatencyBreakdown()
        var stages = StageTimes()
        for latency: Int64 in [17_000_000, 18_000_000, 26_000_000, 200_000_000_000] {
            stages[.send] = latency
            breakdown.record(latency: latency, stages: stages)
        }
        #expect(breakdown.keptBands == 3)
        let tail = try #require(breakdown.tail(from: .milliseconds(150)))
        #expect(tail.messages == 1 && tail.mean[.send] == 200e9)
        #expect(tail.from.picoseconds == LatencyBreakdown.lowerEdge(of: LatencyBreakdown.band(of: 150_000_000_000)))
        // Between kept bands, the tail starts at the band asked for and holds the slower ones.
        let middle = try #require(breakdown.tail(from: .milliseconds(1)))
        #expect(
            middle.messages == 1
                && middle.from.picoseconds == LatencyBreakdown.lowerEdge(of: LatencyBreakdown.band(of: 1_000_000_000)))
    }

    /// Bands: each a quarter octave, lower edges in order, every value in the band its edges say.
    @Test func bandsAreQuarterOctaves() {
        for value: Int64 in [4, 5, 7, 8, 1000, 1023, 1024, 123_456_789, 1 << 40] {
            let band = LatencyBreakdown.band(of: value)
            #expect(LatencyBreakdown.lowerEdge(of: band) <= value, "\(value)")
            #expect(LatencyBreakdown.lowerEdge(of: band + 1) > value, "\(value)")
        }
        var merged = LatencyBreakdown()
        var parts = [LatencyBreakdown(), LatencyBreakdown()]
        for (index, latency) in [Int64(5_000), 80_000, 81_000, 2_000_000].enumerated() {
            var stages = StageTimes()
            stages[.queueing] = latency / 2
            stages[.send] = latency - latency / 2
            parts[index % 2].record(latency: latency, stages: stages)
            merged.record(latency: latency, stages: stages)
        }
        var combined = parts[0]
        combined.merge(parts[1])
        #expect(combined.total == merged.total && combined.messages == merged.messages)
        #expect(combined.latencyTotal == merged.latencyTotal)
        let tail = combined.tail(from: .picoseconds(81_000))
        #expect(tail?.messages == 3)
    }
}
