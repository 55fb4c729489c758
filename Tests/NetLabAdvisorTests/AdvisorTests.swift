import Foundation
import NetLabCore
import NetLabModel
import Testing

@testable import NetLabAdvisor

/// `netlab advise` against brute force, and its answers on small cases whose answer is known.
@Suite struct AdvisorTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples")

    /// A bundled example with a 10 ms warm-up and `measured` after it, so that the brute force
    /// stays affordable in a debug build.
    static func example(_ name: String, measured: SimDuration) throws -> Topology {
        let path = examples.appendingPathComponent(name).path
        var topology = try TopologyReader.read(
            try String(contentsOfFile: path, encoding: .utf8), file: path, requireGroupings: false)
        topology.warmup = .milliseconds(10)
        topology.duration = topology.warmup + measured
        return topology
    }

    static func settings(seed: UInt64, replications: Int) -> AdviceSettings {
        var settings = AdviceSettings(seed: seed)
        settings.race.finalReplications = replications
        return settings
    }

    /// Every valid grouping simulated `replications` times (replication k seeded as the race
    /// seeds it) and the one with the lowest mean score under the race's default objective:
    /// what the race must find.
    static func bruteForceBest(_ topology: Topology, replications: Int, seed: UInt64) -> Grouping {
        let space = GroupingSpace.enumerate(topology, limit: 100_000)
        var study = topology
        study.groupings = space.valid
        var best: (score: Double, index: Int)?
        for index in space.valid.indices {
            var total = 0.0
            for replication in 0..<replications {
                let result = Experiment.simulate(
                    study, grouping: index, profile: .linuxDefault,
                    seed: Experiment.replicationSeed(seed, index: replication))
                total += RaceSettings().objective.score(result, topology: study)
            }
            if best == nil || total / Double(replications) < best!.score {
                best = (total / Double(replications), index)
            }
        }
        return space.valid[best!.index]
    }

    @Test(arguments: [
        ("web-log-sidecar.json", 50), ("frontend-backend-cache.json", 20), ("service-mesh.json", 20),
        ("online-shop.json", 10),
    ])
    func raceFindsTheBruteForceBest(example: String, milliseconds: Int) throws {
        try checkRaceAgainstBruteForce(example: example, milliseconds: milliseconds)
    }

    /// The packet-heavy example (10 Gb/s streams) costs minutes in a debug build: run it with
    /// NETLAB_SLOW_TESTS=1 (best in release: `swift test -c release --filter AdvisorTests`).
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["NETLAB_SLOW_TESTS"] == "1",
            "bulk-stream's brute force takes minutes in a debug build; set NETLAB_SLOW_TESTS=1 to run it"))
    func raceFindsTheBruteForceBestOnStreams() throws {
        try checkRaceAgainstBruteForce(example: "bulk-stream.json", milliseconds: 20)
    }

    func checkRaceAgainstBruteForce(example: String, milliseconds: Int) throws {
        let topology = try Self.example(example, measured: .milliseconds(Int64(milliseconds)))
        let advice = Advisor.advise(topology, profile: .linuxDefault, settings: Self.settings(seed: 3, replications: 6))
        let expected = Self.bruteForceBest(topology, replications: 6, seed: 3)
        let classes = NodeClasses(topology.cluster)
        #expect(
            classes.signature(of: advice.ranked[0].grouping) == classes.signature(of: expected),
            "advisor: \(advice.ranked[0].grouping.name), brute force: \(expected.name)")
        #expect(!advice.isHeuristic)
        #expect(advice.ranked.count == advice.space.valid.count)
        #expect(advice.ranked[0].runs.count == 6)
    }

    /// The same inputs give the same advice, candidate by candidate.
    @Test func adviceIsDeterministic() throws {
        let topology = try Self.example("web-log-sidecar.json", measured: .milliseconds(50))
        let first = Advisor.advise(topology, profile: .linuxDefault, settings: Self.settings(seed: 9, replications: 4))
        let second = Advisor.advise(topology, profile: .linuxDefault, settings: Self.settings(seed: 9, replications: 4))
        #expect(first.ranked.map(\.grouping.name) == second.ranked.map(\.grouping.name))
        #expect(first.ranked.map(\.scores) == second.ranked.map(\.scores))
    }

    /// What `import k8s --advise N` adds: the best candidates the topology does not hold yet,
    /// in rank order, none of them one of its written groupings.
    @Test func bestNewGroupingsSkipTheWrittenOnes() throws {
        let topology = try Self.example("web-log-sidecar.json", measured: .milliseconds(50))
        let advice = Advisor.advise(topology, profile: .linuxDefault, settings: Self.settings(seed: 9, replications: 4))
        let unwritten = advice.ranked.indices.filter { advice.writtenNames[$0] == nil }
        #expect(unwritten.count < advice.ranked.count, "the example's own groupings are among the candidates")
        let picked = advice.bestNewGroupings(2)
        #expect(picked.map(\.name) == unwritten.prefix(2).map { advice.ranked[$0].grouping.name })
        #expect(advice.bestNewGroupings(advice.ranked.count).count == unwritten.count)
    }

    /// Beyond the exhaustive limit the search is heuristic, says so, and races only valid
    /// groupings, among them the merge of the pair that talks most.
    @Test func largeSpacesAreSearchedHeuristically() throws {
        let topology = try Self.example("online-shop.json", measured: .milliseconds(20))
        var settings = Self.settings(seed: 1, replications: 3)
        settings.exhaustiveLimit = 50
        let advice = Advisor.advise(topology, profile: .linuxDefault, settings: settings)
        #expect(advice.isHeuristic)
        #expect(!advice.ranked.isEmpty)
        for candidate in advice.ranked {
            #expect(
                topology.cluster.placementProblem(
                    of: candidate.grouping.pods, containers: topology.containers, grouping: "") == nil)
            #expect(topology.ruleViolation(in: candidate.grouping) == nil)
        }
        // catalog → cache carries the most calls of the pairs that may share a pod.
        let catalog = topology.containerIndex(named: "catalog")!, cache = topology.containerIndex(named: "cache")!
        #expect(advice.ranked.contains { $0.grouping.podIndex(of: catalog) == $0.grouping.podIndex(of: cache) })
    }

    /// The three questions on the shop: the client scales independently, the log shipper is
    /// declared to scale with the frontend, catalog and cache must share a host.
    @Test func pairsAnswerTheThreeQuestions() throws {
        let topology = try Self.example("online-shop.json", measured: .milliseconds(30))
        let advice = Advisor.advise(topology, profile: .linuxDefault, settings: Self.settings(seed: 2, replications: 3))
        func pair(_ a: String, _ b: String) throws -> PairAdvice {
            try #require(advice.pairs.first { $0.first == a && $0.second == b || $0.first == b && $0.second == a })
        }
        let client = try pair("client", "frontend")
        #expect(client.onePod == nil)
        #expect(client.oneWhole.hasPrefix("no: client scales independently"))
        #expect(client.scaling.hasPrefix("independently"))
        let shipper = try pair("frontend", "log-shipper")
        #expect(shipper.oneWhole.hasPrefix("yes: declared to scale together"))
        #expect(shipper.recommendation == "sidecar (one pod)")
        let cache = try pair("catalog", "cache")
        #expect(cache.sameHost == "yes: required (same_host)")
        #expect(cache.apart == nil)
    }

    /// A pair's savings are paired differences over the replications both placements ran (the
    /// race gives replication k of every candidate the same random numbers), with an interval,
    /// and the words follow the interval: "saves" only when it lies above zero.
    @Test func pairSavingsCarryPairedIntervals() throws {
        let topology = try Self.example("web-log-sidecar.json", measured: .milliseconds(40))
        let advice = Advisor.advise(topology, profile: .linuxDefault, settings: Self.settings(seed: 5, replications: 6))
        let pair = try #require(advice.pairs.first { Set([$0.first, $0.second]) == ["web", "log-shipper"] })
        let onePod = try #require(pair.onePod), sameNode = try #require(pair.sameNode)
        let flow = try #require(topology.flows.firstIndex { $0.name == "access-log" })
        for placement in [onePod, sameNode] {
            let runs = advice.ranked[placement.candidate].runs
            #expect(placement.p99PerReplication == runs.map { Double($0.flows[flow].latency.valueAtPercentile(99)) })
        }
        let saving = try #require(pair.podSaving)
        let paired = min(onePod.p99PerReplication.count, sameNode.p99PerReplication.count)
        #expect(saving.replications == paired)
        #expect(paired >= 2)
        let differences = (0..<paired).map { sameNode.p99PerReplication[$0] - onePod.p99PerReplication[$0] }
        #expect(abs(saving.mean - differences.reduce(0, +) / Double(paired)) < 1e-6)
        #expect(pair.oneWhole.contains("±"))
        #expect(pair.oneWhole.contains("saves") == (saving.mean - saving.halfWidth > 0))
    }
}
