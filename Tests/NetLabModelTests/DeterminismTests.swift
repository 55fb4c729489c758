import NetLabCore
import Testing

@testable import NetLabModel

@Suite struct DeterminismTests {
    static let flows = """
        { "name": "rpc", "from": "app", "to": "helper", "pattern": "rpc", "request": { "exp": "300B" }, "response": { "lognormal": { "median": "2KiB", "sigma": 1 } }, "rate": "3000/s", "server_time": { "exp": "20us" } },
        { "name": "logs", "from": "app", "to": "helper", "pattern": "oneway", "transport": "udp", "size": { "uniform": ["100B", "900B"] }, "interval": { "exp": "200us" } }
        """

    func fingerprint(_ result: SimulationResult) -> [String] {
        result.groupings.flatMap { grouping in
            grouping.flows.map {
                "\(grouping.name)/\($0.name): \($0.messages) \($0.bytes) \($0.latency.sumPicoseconds.bitPattern) \($0.latency.maximumPicoseconds)"
            }
                + ["\(grouping.name) events \(grouping.events)"]
        }
    }

    @Test func sameSeedGivesBitIdenticalResults() throws {
        let text = Fixtures.threeGroupings(flows: Self.flows, duration: "100ms")
        #expect(fingerprint(try Fixtures.run(text)) == fingerprint(try Fixtures.run(text)))
    }

    @Test func differentSeedChangesDrawsButNotStructure() throws {
        let text = Fixtures.threeGroupings(flows: Self.flows, duration: "100ms")
        var topology = try Fixtures.topology(text)
        let first = Experiment.run(topology, groupings: [0, 1, 2], profile: .linuxDefault, seed: 1)
        topology.seed = 2
        let second = Experiment.run(topology, groupings: [0, 1, 2], profile: .linuxDefault, seed: 2)
        #expect(fingerprint(first) != fingerprint(second))
        #expect(first.groupings.map(\.name) == second.groupings.map(\.name))
        #expect(first.groupings.map { $0.flows.map(\.name) } == second.groupings.map { $0.flows.map(\.name) })
        #expect(first.groupings.map { $0.flows.map(\.path) } == second.groupings.map { $0.flows.map(\.path) })
    }

    /// Common random numbers: every grouping sees the same arrivals and sizes, so the offered
    /// load (calls started and their request and response sizes) is identical in all of them,
    /// even where their latencies differ.
    @Test func everyGroupingSeesTheSameTraffic() throws {
        let flow =
            #"{ "name": "rpc", "from": "app", "to": "helper", "pattern": "rpc", "request": { "exp": "300B" }, "response": { "exp": "1KiB" }, "rate": "1000/s" }"#
        let result = try Fixtures.run(Fixtures.threeGroupings(flows: flow, duration: "100ms"))
        let offered = result.groupings.map { ($0.flows[0].offeredMessages, $0.flows[0].offeredBytes) }
        #expect(offered[0].0 > 50)
        #expect(offered.allSatisfy { $0 == offered[0] }, "\(offered)")
        let latencies = result.groupings.map { $0.flows[0].latency.meanNanoseconds }
        #expect(Set(latencies).count == 3, "the groupings differ in latency")
    }

    /// Streams are keyed by flow name: adding a flow elsewhere leaves another flow's draws, and
    /// with no shared resources its results, unchanged.
    @Test func addingAFlowDoesNotChangeAnotherFlowsDraws() throws {
        func topology(extra: Bool) -> String {
            """
            { "duration": "100ms", "profile": "ideal", "seed": 3,
              "cluster": { "nodes": [ { "name": "a" }, { "name": "b" }, { "name": "c" }, { "name": "d" } ] },
              "containers": ["p", "q", "r", "s"],
              "flows": [ \(extra ? #"{ "name": "other", "from": "r", "to": "s", "pattern": "oneway", "size": { "exp": "500B" }, "rate": "5000/s" },"# : "")
                         { "name": "watched", "from": "p", "to": "q", "pattern": "oneway", "size": { "exp": "800B" }, "rate": "4000/s" } ],
              "groupings": [ { "name": "g", "pods": [ { "containers": ["p"], "node": "a" }, { "containers": ["q"], "node": "b" },
                                                      { "containers": ["r"], "node": "c" }, { "containers": ["s"], "node": "d" } ] } ] }
            """
        }
        let alone = try Fixtures.run(topology(extra: false)).groupings[0].flows.first { $0.name == "watched" }!
        let accompanied = try Fixtures.run(topology(extra: true)).groupings[0].flows.first { $0.name == "watched" }!
        #expect(alone.messages == accompanied.messages)
        #expect(alone.bytes == accompanied.bytes)
        #expect(alone.latency.sumPicoseconds == accompanied.latency.sumPicoseconds)
    }
}
