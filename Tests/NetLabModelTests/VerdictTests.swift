import Foundation
import NetLabCore
import Testing

@testable import NetLabModel

/// The one verdict every output states: objectives first and judged over the replications, flows
/// no grouping moves left out of the ranking, ties only where the intervals say so.
@Suite struct VerdictTests {
    /// A client calling an API across nodes (on nodes of their own, the same in every grouping),
    /// and a web app's log shipper in the web's pod, beside it on its node, or on another node.
    static func sidecar(slo: String = "") -> String {
        """
        { "name": "sidecar", "duration": "300ms", "warmup": "20ms", "seed": 7,
          "cluster": { "nodes": [ { "name": "a" }, { "name": "b" }, { "name": "c" }, { "name": "d" } ] },
          "containers": ["client", "api", "web", "log"],
          "flows": [ { "name": "http", "from": "client", "to": "api", "pattern": "rpc", "request": "500B", "response": "8KiB", "rate": "500/s" },
                     { "name": "logs", "from": "web", "to": "log", "pattern": "oneway", "transport": "uds", "fallback": "tcp", "size": "300B", "rate": "2000/s"\(slo) } ],
          "groupings": [ { "name": "same-node", "pods": [ { "containers": ["client"], "node": "c" }, { "containers": ["api"], "node": "b" }, { "containers": ["web"], "node": "a" }, { "containers": ["log"], "node": "a" } ] },
                         { "name": "in-pod", "pods": [ { "containers": ["client"], "node": "c" }, { "containers": ["api"], "node": "b" }, { "containers": ["web", "log"], "node": "a" } ] },
                         { "name": "other-node", "pods": [ { "containers": ["client"], "node": "c" }, { "containers": ["api"], "node": "b" }, { "containers": ["web"], "node": "a" }, { "containers": ["log"], "node": "d" } ] } ] }
        """
    }

    static func replicate(_ text: String, _ count: Int) throws -> ReplicatedResult {
        let topology = try Fixtures.topology(text)
        let profile = ProfileReader.builtIn(topology.profileName, overrides: topology.profileOverrides)!
        return ReplicatedResult(
            Experiment.replicate(
                topology, groupings: Array(topology.groupings.indices), profile: profile, seed: topology.seed,
                replications: count))
    }

    /// The cross-node call is on one path everywhere: it is named unaffected, and the log
    /// shipper, whose path the groupings change, decides: in the pod, clearly.
    @Test func aFlowNoGroupingMovesDoesNotDecide() throws {
        let verdict = Verdict(try Self.replicate(Self.sidecar(), 5))
        #expect(verdict.unaffectedFlows.map(\.flow) == [0])
        #expect(verdict.affectedFlows == [1])
        #expect(verdict.groupingNames[verdict.ranking[0]] == "in-pod")
        #expect(verdict.call == .leads)
        #expect(verdict.differences.first?.flow == 1)
    }

    /// An objective is judged on the mean over the replications: with the limit between the first
    /// replication's p99 and the mean, the first alone would pass, the verdict says missed.
    @Test func objectivesAreJudgedOnTheReplicatedMean() throws {
        let runs = try Self.replicate(Self.sidecar(), 8)
        let grouping = 2  // other-node: TCP across nodes, the widest spread
        let p99s = runs.replications.map { Double($0.groupings[grouping].flows[1].latency.valueAtPercentile(99)) }
        let mean = p99s.reduce(0, +) / Double(p99s.count)
        try #require(abs(p99s[0] - mean) > 200, "replication 1 \(p99s[0]) ns, mean \(mean) ns: too close to test")
        let limit = Int64((p99s[0] + mean) / 2)
        let judged = Verdict(try Self.replicate(Self.sidecar(slo: #", "slo": { "p99": "\#(limit)ns" }"#), 8))
        let firstAlone = Verdict(
            ReplicatedResult([
                try Self.replicate(Self.sidecar(slo: #", "slo": { "p99": "\#(limit)ns" }"#), 1)
                    .replications[0]
            ]))
        #expect(judged.meetsObjectives(grouping) == (mean <= Double(limit)))
        #expect(firstAlone.meetsObjectives(grouping) == (p99s[0] <= Double(limit)))
        #expect(judged.meetsObjectives(grouping) != firstAlone.meetsObjectives(grouping))
    }

    /// A grouping that meets its objectives ranks above one that misses one, whatever their p99s.
    @Test func objectivesComeFirst() throws {
        // 10 µs is met in the pod (Unix socket) only.
        let verdict = Verdict(try Self.replicate(Self.sidecar(slo: #", "slo": { "p99": "10us" }"#), 3))
        let first = verdict.ranking[0]
        #expect(verdict.groupingNames[first] == "in-pod")
        #expect(verdict.meetsObjectives(first))
        #expect(!verdict.meetsObjectives(verdict.ranking[1]))
        #expect(verdict.call == .objectives)
    }

    /// Two groupings that place everything alike are a tie, never a leader.
    @Test func identicalGroupingsTie() throws {
        let twins = Self.sidecar().replacingOccurrences(
            of:
                #"{ "name": "in-pod", "pods": [ { "containers": ["client"], "node": "c" }, { "containers": ["api"], "node": "b" }, { "containers": ["web", "log"], "node": "a" } ] },"#,
            with: ""
        ).replacingOccurrences(
            of:
                #"{ "name": "other-node", "pods": [ { "containers": ["client"], "node": "c" }, { "containers": ["api"], "node": "b" }, { "containers": ["web"], "node": "a" }, { "containers": ["log"], "node": "d" } ] }"#,
            with:
                #"{ "name": "same-node-again", "pods": [ { "containers": ["client"], "node": "c" }, { "containers": ["api"], "node": "b" }, { "containers": ["web"], "node": "a" }, { "containers": ["log"], "node": "a" } ] }"#
        )
        let verdict = Verdict(try Self.replicate(twins, 4))
        #expect(verdict.ranking.count == 2)
        #expect(verdict.call == .tie)
        #expect(verdict.differences.isEmpty)
        #expect(verdict.unaffectedFlows.count == 2, "both flows on one path, alike: \(verdict.affectedFlows)")
    }
}
