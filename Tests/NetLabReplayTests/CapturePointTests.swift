import Foundation
import NetLabCore
import NetLabModel
import NetLabStats
import NetLabTrace
import Testing

@testable import NetLabReplay

/// Replays that know where their capture was taken: captured gaps less the captured path's host
/// costs, and the check that replaying through that placement gives back what was captured.
@Suite struct CapturePointTests {
    /// Each bundled trace with the grouping and capture point it was made in (Traces/README.md:
    /// loopback inside one pod; pod-to-pod on the node's bridge).
    static let origins: [(trace: String, grouping: Int, point: CapturePoint)] = [
        ("intra-pod-loopback", 0, .any), ("pod-to-pod-http", 1, .node), ("pod-to-pod-sockperf", 1, .node),
        ("pod-to-pod-ipv6", 1, .node), ("pod-to-pod-iperf", 1, .node),
    ]

    static func replay(
        _ trace: String, origin: CaptureOrigin?, profile: CostProfile = .linuxDefault, mode: ReplayMode = .causal
    ) throws -> ReplayResult {
        let plan = try ReplayTests.plan(trace)
        var groupings = [0, 1, 2]
        if let origin { groupings = [origin.grouping] + groupings.filter { $0 != origin.grouping } }
        return try ReplayRunner.run(
            plan, groupings: groupings, profile: profile, seed: 1, speed: 1, mode: mode, origin: origin)
    }

    /// The identity check: through the placement that made the capture, request-to-reply p50 is
    /// within 10% and p99 within 20% of the captured one.
    @Test(arguments: origins.indices)
    func replayThroughTheCapturedPlacementGivesBackTheCapture(index: Int) throws {
        let (trace, grouping, point) = Self.origins[index]
        let result = try Self.replay(trace, origin: CaptureOrigin(grouping: grouping, point: point))
        let rows = try #require(result.captureCheck)
        #expect(!rows.isEmpty)
        for row in rows {
            #expect(abs(row.error(50)) <= 0.10, "\(trace) \(row.flow) p50 \(row.error(50))")
            #expect(abs(row.error(99)) <= 0.20, "\(trace) \(row.flow) p99 \(row.error(99))")
        }
        #expect(result.negativeGaps.allSatisfy { $0 == 0 }, "\(result.warnings)")
    }

    /// Without the correction the captured path's costs are charged twice and the same check
    /// misses: that is what the correction is for.
    @Test func withoutTheOriginTheCapturedPlacementIsSlowerThanCaptured() throws {
        let corrected = try Self.replay("intra-pod-loopback", origin: CaptureOrigin(grouping: 0, point: .any))
        let plain = try Self.replay("intra-pod-loopback", origin: nil)
        let flow = 0
        #expect(
            plain.simulatedExchanges[0][flow].valueAtPercentile(50) > plain.captured[flow].valueAtPercentile(50) * 11
                / 10)
        #expect(
            corrected.simulatedExchanges[0][flow].valueAtPercentile(50)
                < plain.simulatedExchanges[0][flow].valueAtPercentile(50))
    }

    /// Other placements still move latency the physical way: one pod, then one node, then two.
    @Test(arguments: ["intra-pod-loopback", "pod-to-pod-http", "pod-to-pod-sockperf"])
    func otherPlacementsMoveLatencyTheRightWay(trace: String) throws {
        let origin = Self.origins.first { $0.trace == trace }!
        let result = try Self.replay(trace, origin: CaptureOrigin(grouping: origin.grouping, point: origin.point))
        let names = result.simulation.groupings.map(\.name)
        let p50 = { (name: String) in result.simulatedExchanges[names.firstIndex(of: name)!][0].valueAtPercentile(50) }
        #expect(p50("pairs-in-one-pod") < p50("same-node"))
        #expect(p50("same-node") < p50("cross-node"))
    }

    /// The application's own time between messages does not depend on where it is replayed.
    @Test(arguments: ["intra-pod-loopback", "pod-to-pod-http", "pod-to-pod-sockperf"])
    func correctedApplicationGapsAreTheSameInEveryGrouping(trace: String) throws {
        let origin = Self.origins.first { $0.trace == trace }!
        let result = try Self.replay(trace, origin: CaptureOrigin(grouping: origin.grouping, point: origin.point))
        let reference = result.applicationGaps[0][0]
        #expect(reference.count > 0)
        for gaps in result.applicationGaps.dropFirst() {
            #expect(gaps[0].count == reference.count)
            #expect(gaps[0].sumPicoseconds == reference.sumPicoseconds)
            #expect(gaps[0].minimumPicoseconds == reference.minimumPicoseconds)
            #expect(gaps[0].maximumPicoseconds == reference.maximumPicoseconds)
        }
    }

    /// A receiver woken on an idle core paid the profile's extra for how long the core idled, and
    /// the simulation charges it again: the correction takes it out of the captured gap too.
    /// UDP ping-pong at 200/s (the server idles about 5 ms before each request, the client at
    /// least the round trip): with a 10 µs extra after any idle spell of 100 µs or more, every
    /// gap after a request loses 10 µs more, and none loses more than that.
    @Test func anIdleReceiversExtraWakeUpComesOutOfTheGap() throws {
        var plain = CostProfile.linuxDefault
        plain.affineWakeups = 0
        plain.variability.idleWakeup = (.zero, .zero, .zero)
        var idling = plain
        idling.variability.idleWakeup = (.microseconds(10), .microseconds(10), .microseconds(10))
        let origin = CaptureOrigin(grouping: 1, point: .node)
        let without = try Self.replay("pod-to-pod-sockperf", origin: origin, profile: plain).applicationGaps[0][0]
        let with = try Self.replay("pod-to-pod-sockperf", origin: origin, profile: idling).applicationGaps[0][0]
        #expect(with.count == without.count)
        #expect(without.minimumPicoseconds > 10_000_000, "no gap is clamped")
        let taken = without.sumPicoseconds - with.sumPicoseconds
        #expect(taken >= 200 * 10e6, "\(taken) ps over \(with.count) gaps")
        #expect(taken <= Double(with.count) * 10e6, "\(taken) ps over \(with.count) gaps")
    }

    /// An idle extra too large for the host that made the capture leaves gaps below zero, and the
    /// warning names the idle-extra figures with the others.
    @Test func aTooLargeIdleExtraIsNamedInTheWarning() throws {
        var profile = CostProfile.linuxDefault
        profile.affineWakeups = 0
        profile.variability.idleWakeup = (.milliseconds(1), .milliseconds(1), .milliseconds(1))
        let result = try Self.replay(
            "pod-to-pod-sockperf", origin: CaptureOrigin(grouping: 1, point: .node), profile: profile)
        #expect(result.negativeGaps[0] > 0)
        #expect(
            result.warnings.contains {
                $0.contains("taken as 0") && $0.contains("1.00ms / 1.00ms / 1.00ms more")
                    && $0.contains("idle_wakeup_1ms")
            }, "\(result.warnings)")
    }

    /// A correction at the profile's typical figures leaves a gap of little application time
    /// negative whenever the host happened to be fast; only a gap shorter than the costs at the
    /// low end of their variation (each 2σ below its figure) says the profile is too slow. Here
    /// an idle extra of 20 µs leaves gaps below zero: counted when costs do not vary, not when
    /// they vary as linux-default's do (σ 0.35), and counted again at 80 µs. Every negative gap
    /// is taken as zero either way.
    @Test func onlyGapsBeyondTheProfilesVariationCountAsNegative() throws {
        func negatives(extra: Int64, sigma: Double) throws -> (counted: Int, smallest: Int64) {
            var profile = CostProfile.linuxDefault
            profile.affineWakeups = 0
            profile.variability.wakeupSigma = sigma
            profile.variability.workSigma = sigma
            profile.variability.idleWakeup = (.microseconds(extra), .microseconds(extra), .microseconds(extra))
            let result = try Self.replay(
                "pod-to-pod-sockperf", origin: CaptureOrigin(grouping: 1, point: .node), profile: profile)
            return (result.negativeGaps[0], result.applicationGaps[0][0].minimumPicoseconds)
        }
        let fixed = try negatives(extra: 20, sigma: 0)
        let varying = try negatives(extra: 20, sigma: 0.35)
        #expect(fixed.counted > 0 && varying.counted == 0, "\(fixed) \(varying)")
        #expect(fixed.smallest == 0 && varying.smallest == 0)
        #expect(try negatives(extra: 80, sigma: 0.35).counted > 0)
    }

    /// Turns the correction leaves below zero count as zero and what they lacked comes off the
    /// side's next turns: never a negative time, and the times handed out, less what is still
    /// carried, add up to the corrected turns (clamping each alone would hand out their positive
    /// part, inflated by the host's variation).
    @Test func turnsBelowZeroAreTakenOffTheNextTurns() {
        var carry = TurnCarry()
        #expect([-5, 3, 4, -2, 1, 10].map { carry.application(corrected: $0) } == [0, 0, 2, 0, 0, 9])
        #expect(carry.carried == 0)
        var random = RandomStream(seed: 7, streamName: "turns")
        for _ in 0..<20 {
            var side = TurnCarry()
            var corrected: Int64 = 0
            var handedOut: Int64 = 0
            var clamped: Int64 = 0
            for _ in 0..<200 {
                let turn = Int64(random.nextOpenUnit() * 2_000_000) - 1_000_000
                let time = side.application(corrected: turn)
                #expect(time >= 0)
                #expect(time <= max(0, turn))
                corrected += turn
                handedOut += time
                clamped += max(0, turn)
            }
            #expect(handedOut - side.carried == corrected)
            #expect(handedOut < clamped)
        }
    }

    /// A profile far slower than the host that made the capture leaves gaps below zero: they are
    /// taken as zero, counted, and the user is pointed at calibration.
    @Test func aProfileSlowerThanTheCapturingHostIsReported() throws {
        var slow = CostProfile.linuxDefault
        slow.wakeup = .milliseconds(5)
        slow.contextSwitch = .milliseconds(5)
        let result = try Self.replay(
            "pod-to-pod-sockperf", origin: CaptureOrigin(grouping: 1, point: .node), profile: slow)
        #expect(result.negativeGaps[0] > 0)
        #expect(result.warnings.contains { $0.contains("taken as 0") && $0.contains("netlab calibrate") })
        // The warning names the figures that decide the correction, the largest first: here the
        // wake-up the slow profile charges.
        #expect(
            result.warnings.contains { $0.contains("wake-ups 5.00ms (wakeup, context_switch)") }, "\(result.warnings)")
        #expect(result.applicationGaps[0][0].minimumPicoseconds == 0)
    }

    /// The capture point places the split: a capture in the server's namespace sees a request
    /// later and its reply earlier than one in the client's, so less of the path lies before the
    /// point for requests.
    @Test func capturePointsSplitThePathWhereTheyAre() throws {
        let plan = try ReplayTests.plan("pod-to-pod-http")
        let run = GroupingRun(topology: plan.topology, grouping: 2, profile: .linuxDefault, seed: 1)
        let client = run.captureSplit(flow: 0, fromServer: false, bytes: 100, at: .client)
        let node = run.captureSplit(flow: 0, fromServer: false, bytes: 100, at: .node)
        let server = run.captureSplit(flow: 0, fromServer: false, bytes: 100, at: .server)
        #expect(client.beforeCapture < node.beforeCapture && node.beforeCapture < server.beforeCapture)
        // Wherever the point, the whole unloaded passage is the same, and its stages add up to it.
        #expect(client.beforeCapture + client.afterCapture == server.beforeCapture + server.afterCapture)
        #expect(client.stages.total == client.beforeCapture + client.afterCapture && client.stages == server.stages)
        #expect(node.beforeCapture + node.afterCapture == server.beforeCapture + server.afterCapture)
        // Inside one pod only the loopback device can have seen the traffic.
        let onePod = GroupingRun(topology: plan.topology, grouping: 0, profile: .linuxDefault, seed: 1)
        #expect(onePod.captureProblem(flow: 0, at: .any) == nil)
        #expect(onePod.captureProblem(flow: 0, at: .server)?.contains("loopback") == true)
    }

    /// One-way traffic has no request/reply to time: causal mode says so for the flow.
    @Test func oneWayCapturesAreNamedInCausalMode() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-oneway-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let writer = try TraceWriter(path: file)
        let source = Endpoint(address: IPAddress(Substring("198.18.0.3"))!, port: 5000)
        let destination = Endpoint(address: IPAddress(Substring("198.18.0.2"))!, port: 6000)
        for index in 0..<20 {
            let frame = FrameBuilder.frame(proto: .udp, source: source, destination: destination, payloadLength: 200)
            frame.withUnsafeBytes { writer.write($0, timestampNanoseconds: 1_000_000 + Int64(index) * 100_000) }
        }
        try writer.close()
        let map = try ReplayMap.read(
            #"{ "endpoints": [ { "match": "198.18.0.2", "container": "echo" }, { "match": "198.18.0.3", "container": "pinger" } ] }"#,
            file: "map.json")
        let topology = try TopologyReader.read(
            String(contentsOfFile: ReplayTests.path("Examples/replay-pairs.json"), encoding: .utf8),
            file: "replay-pairs.json", requireFlows: false)
        let plan = try ReplayPlan.prepare(trace: file, map: map, topology: topology, unmapped: .error)
        let result = try ReplayRunner.run(
            plan, groupings: [1], profile: .linuxDefault, seed: 1, speed: 1, mode: .causal,
            origin: CaptureOrigin(grouping: 1, point: .node))
        #expect(
            result.warnings.contains {
                $0.contains("pinger->echo/udp") && $0.contains("no request followed by a reply")
            })
        #expect(result.simulation.groupings[0].flows[0].messages == 20)
    }
}
