import NetLabCore
import NetLabModel
import NetLabSpec
import Testing

@testable import NetLabSweep

/// Axes, paths and the plan of a sweep.
@Suite struct SweepPlanTests {
    static let topology = """
        { "name": "t", "duration": "20ms",
          "cluster": { "nodes": [ { "name": "a" }, { "name": "b" } ], "fabric": { "rate": "10Gbps" } },
          "containers": ["web", { "name": "log", "cpu": 0.5 }],
          "flows": [ { "from": "web", "to": "log", "pattern": "oneway", "size": "100B", "rate": "100/s" },
                     { "name": "bulk", "from": "log", "to": "web", "pattern": "stream" } ],
          "groupings": [ { "name": "g", "pods": [ { "containers": ["web", "log"], "node": "a" } ] } ] }
        """

    @Test func listsAndRangesExpand() throws {
        #expect(try SweepAxis(parsing: "flows[http].rate=1000/s,2000/s").values == ["1000/s", "2000/s"])
        #expect(
            try SweepAxis(parsing: "x.size=64B..64KiB:x4").values == [
                "64B", "256B", "1024B", "4096B", "16384B", "65536B",
            ])
        #expect(try SweepAxis(parsing: "x.cpu=1..4").values == ["1", "2", "3", "4"])
        #expect(try SweepAxis(parsing: "x.t=100us..400us:+100us").values == ["100us", "200us", "300us", "400us"])
        #expect(try SweepAxis(parsing: "x.r=1Gbps..25Gbps:x5").values == ["1Gbps", "5Gbps", "25Gbps"])
        #expect(try SweepAxis(parsing: "x.f=0.5..1.5:+0.5").values == ["0.5", "1", "1.5"])
    }

    @Test(arguments: [
        ("x.size=64B..1s:x2", "different kinds of unit"), ("x.size=64B..1KiB:x1", "the factor must be above 1"),
        ("x.size=64B..1KiB:+0B", "the step must be positive"), ("x.size=1KiB..64B:x2", "the low end is above"),
        ("x.size", "has no '='"), ("x.size=", "has no values"), ("x[a=1", "unclosed '['"),
        ("x[a]=1", "does not end in a key"),
        ("x.size=1,,2", "an empty value"), ("x.size=1..2:y2", "unknown step"),
    ])
    func badAxesAreNamed(text: String, mention: String) {
        #expect(throws: SweepError.self) { try SweepAxis(parsing: text) }
        do { _ = try SweepAxis(parsing: text) } catch { #expect(error.description.contains(mention), "\(error)") }
    }

    /// Points are the cross product, the last axis fastest; each point's topology carries its values.
    @Test func pointsAreTheCrossProduct() throws {
        let plan = try SweepPlan(
            file: "t.json", topologyText: Self.topology,
            axes: [
                try SweepAxis(parsing: "flows[web->log].rate=100/s,200/s"),
                try SweepAxis(parsing: "containers[web].cpu=0.25,0.5,1"),
            ], replications: 2, seed: nil, profileName: "ideal")
        #expect(plan.points == 6 && plan.jobs == 12)
        #expect(plan.values(at: 0) == ["100/s", "0.25"])
        #expect(plan.values(at: 1) == ["100/s", "0.5"])
        #expect(plan.values(at: 5) == ["200/s", "1"])
        let last = try plan.topology(at: 5)
        #expect(last.containers[0].cpu == 1)
        guard case .oneway(_, .open(let interval)) = last.flows[0].pattern else {
            Issue.record("not a oneway open flow")
            return
        }
        #expect(interval.mean == 5e9)  // 200/s: 5 ms in picoseconds
        // Shards partition the jobs.
        let shards = (0..<5).map { plan.jobs(inShard: $0, of: 5) }
        #expect(shards.flatMap { $0 }.sorted() == Array(0..<12))
    }

    /// A swept value that makes the topology invalid names the point, and keeps the topology's
    /// error (and the unit's behind it).
    @Test func anInvalidPointKeepsTheTopologysError() throws {
        let plan = try SweepPlan(
            file: "t.json", topologyText: Self.topology,
            axes: [try SweepAxis(parsing: "flows[web->log].rate=100/s,7/eon")], replications: 1, seed: nil,
            profileName: "ideal")
        _ = try plan.topology(at: 0)
        let failure = #expect(throws: SweepError.self) { try plan.topology(at: 1) }
        let cause = try #require(failure?.cause as? SpecError)
        #expect(cause.path.hasPrefix("flows[") && cause.path.hasSuffix(".rate"))
        #expect((failure?.rootCause as? UnitParseError)?.input == "7/eon")
        #expect(failure?.description.contains("7/eon") == true)
    }

    /// A path that does not exist says where it stops and what is there.
    @Test func missingPathsSuggestNames() throws {
        let document = try TopologyReader.document(Self.topology, file: "t.json")
        for (path, mention) in [
            ("flows[bulky].rate", "did you mean \"bulk\"?"), ("clusterr.fabric.rate", "did you mean \"cluster\"?"),
            ("cluster.nodes[c].cores", "there are: a, b"), ("flows[0].size.unit", "is not an object"),
        ] {
            do {
                _ = try ParameterPath(parsing: path).applying(.string("1"), to: document)
                Issue.record("\(path) was accepted")
            } catch { #expect(error.description.contains(mention), "\(error)") }
        }
    }

    /// Sweeps of different inputs have different identities; the same inputs the same.
    @Test func identityFollowsTheInputs() throws {
        func plan(_ set: String, replications: Int = 1) throws -> SweepPlan {
            try SweepPlan(
                file: "t.json", topologyText: Self.topology, axes: [try SweepAxis(parsing: set)],
                replications: replications, seed: 1, profileName: "ideal")
        }
        #expect(try plan("flows[bulk].bytes=1,2").identity == plan("flows[bulk].bytes=1,2").identity)
        #expect(try plan("flows[bulk].bytes=1,2").identity != plan("flows[bulk].bytes=1,3").identity)
        #expect(try plan("flows[bulk].bytes=1,2").identity != plan("flows[bulk].bytes=1,2", replications: 2).identity)
    }
}
