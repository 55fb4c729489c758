import NetLabModel
import NetLabSpec
import Testing

@testable import NetLabAdvisor

/// The counts of `netlab advise`'s search space against hand counts: Bell numbers of pod
/// partitions × placements, with identical nodes interchangeable.
@Suite struct GroupingSpaceTests {
    /// A topology of `containers` (names c0, c1, ...) on `nodes`, with an extra JSON tail for rules.
    static func topology(
        containers: [String], nodes: [String], flows: String? = nil, rules: String = ""
    ) throws -> Topology {
        let text = """
            { "name": "space", "cluster": { "nodes": [\(nodes.joined(separator: ","))] },
              "containers": [\(containers.joined(separator: ","))]\(flows.map { #", "flows": \#($0)"# } ?? "")\(rules) }
            """
        return try TopologyReader.read(text, file: "space.json", requireFlows: false, requireGroupings: false)
    }

    static let node = #"{ "name": "n", "cores": 8 }"#
    static func nodes(_ count: Int, cores: Int = 8) -> [String] {
        (0..<count).map { #"{ "name": "n\#($0)", "cores": \#(cores) }"# }
    }
    static func containers(_ count: Int, extra: String = "") -> [String] {
        (0..<count).map { #"{ "name": "c\#($0)"\#(extra) }"# }
    }

    /// 3 containers, 2 identical nodes: 5 partitions; one pod has 2 placements (1 up to
    /// symmetry), the three 2+1 splits 4 each (2: together or apart), three pods 8 (4: all on
    /// one node, or one of the three alone). 22 assignments, 11 distinct.
    @Test func threeContainersOnTwoIdenticalNodes() throws {
        let space = GroupingSpace.enumerate(
            try Self.topology(containers: Self.containers(3), nodes: Self.nodes(2)), limit: 1000)
        #expect(space.assignments == 22)
        #expect(space.distinct == 11)
        #expect(space.valid.count == 11)
        #expect(space.isComplete)
    }

    /// 4 containers, 3 identical nodes (Stirling numbers S(4,k) = 1, 7, 6, 1): Σ S(4,k)·3^k =
    /// 3 + 63 + 162 + 81 = 309 labelled; Σ S(4,k)·Σ_{j≤3} S(k,j) = 1 + 7·2 + 6·5 + 1·14 = 59 distinct. With the nodes all different, every labelled assignment is distinct.
    @Test func fourContainersOnThreeNodes() throws {
        let identical = GroupingSpace.enumerate(
            try Self.topology(containers: Self.containers(4), nodes: Self.nodes(3)), limit: 1000)
        #expect(identical.assignments == 309)
        #expect(identical.distinct == 59)
        let different = GroupingSpace.enumerate(
            try Self.topology(
                containers: Self.containers(4),
                nodes: (0..<3).map { #"{ "name": "n\#($0)", "cores": \#(4 + $0) }"# }), limit: 1000)
        #expect(different.distinct == 309)
    }

    /// Two replicas per container on 2 identical nodes, 2 containers: one pod (3 multisets of
    /// nodes, 2 up to symmetry: both replicas on one node, or one on each) or two pods (3 × 3 = 9
    /// labelled; up to symmetry 5). 12 assignments, 7 distinct.
    @Test func replicasArePlacedAsMultisets() throws {
        let space = GroupingSpace.enumerate(
            try Self.topology(containers: Self.containers(2, extra: #", "replicas": 2"#), nodes: Self.nodes(2)),
            limit: 1000)
        #expect(space.assignments == 12)
        #expect(space.distinct == 7)
        #expect(space.valid.allSatisfy { $0.pods.allSatisfy { $0.replicaNodes.count == 2 } })
    }

    /// By default a pod's replicas are spread as Kubernetes' default topology spread would:
    /// two replicas on two nodes never share one. `"replica_spread": "any"` lets them stack, and
    /// a stacked pod is named as an availability risk.
    @Test func replicasSpreadEvenlyUnlessTheTopologySaysAny() throws {
        let containers = Self.containers(2, extra: #", "replicas": 2"#)
        let even = GroupingSpace.enumerate(try Self.topology(containers: containers, nodes: Self.nodes(2)), limit: 1000)
        #expect(!even.valid.isEmpty)
        #expect(even.valid.allSatisfy { $0.pods.allSatisfy { Set($0.replicaNodes).count == 2 } })
        #expect(even.refused.contains { $0.reason.contains("replica_spread") })
        let anyTopology = try Self.topology(
            containers: containers, nodes: Self.nodes(2), rules: #", "replica_spread": "any""#)
        let any = GroupingSpace.enumerate(anyTopology, limit: 1000)
        #expect(any.valid.count > even.valid.count)
        let stacked = try #require(any.valid.first { $0.pods.contains { Set($0.replicaNodes).count == 1 } })
        #expect(!anyTopology.podsStackedOnOneNode(in: stacked).isEmpty)
        #expect(even.valid.allSatisfy { anyTopology.podsStackedOnOneNode(in: $0).isEmpty })
        #expect(throws: SpecError.self) {
            try Self.topology(containers: containers, nodes: Self.nodes(2), rules: #", "replica_spread": "spread""#)
        }
    }

    /// CPU requests, replica counts and the topology's rules cut the space, and each cut is counted.
    @Test func constraintsRefuseAndCount() throws {
        let containers = [
            #"{ "name": "app", "cpu": 3 }"#, #"{ "name": "cache", "cpu": 1 }"#, #"{ "name": "db", "cpu": 3 }"#,
        ]
        let free = GroupingSpace.enumerate(
            try Self.topology(containers: containers, nodes: Self.nodes(2, cores: 4)), limit: 1000)
        // app and db (3 cores each) never share a 4-core node: of the 11, those putting them
        // together are refused (one pod of all three; app+db with cache anywhere; three pods on one node...).
        #expect(
            free.valid.allSatisfy { grouping in
                let app = grouping.pods[grouping.podIndex(of: 0)].replicaNodes
                let db = grouping.pods[grouping.podIndex(of: 2)].replicaNodes
                return Set(app).isDisjoint(with: db)
            })
        #expect(free.valid.count + free.refused.reduce(0) { $0 + $1.count } == free.distinct)
        let ruled = GroupingSpace.enumerate(
            try Self.topology(
                containers: containers, nodes: Self.nodes(2, cores: 4),
                rules: #", "same_host": [["app", "cache"]], "separate": [["cache", "db"]]"#), limit: 1000)
        for grouping in ruled.valid {
            let node = { grouping.pods[grouping.podIndex(of: $0)].replicaNodes }
            #expect(node(0) == node(1))
            #expect(Set(node(1)).isDisjoint(with: node(2)))
        }
        #expect(ruled.refused.contains { $0.reason == "breaks same_host" })
        #expect(ruled.valid.count < free.valid.count)
    }

    /// Containers that scale independently stay alone; differing replica counts never share a pod.
    @Test func scalingKeepsPodsApart() throws {
        let containers = [
            #"{ "name": "web", "replicas": 2 }"#, #"{ "name": "log", "replicas": 2, "scales_with": "web" }"#,
            #"{ "name": "db" }"#, #"{ "name": "metrics", "scaling": "independent", "replicas": 2 }"#,
        ]
        let space = GroupingSpace.enumerate(
            try Self.topology(containers: containers, nodes: Self.nodes(2)), limit: 10_000)
        #expect(!space.valid.isEmpty)
        for grouping in space.valid {
            #expect(grouping.pods[grouping.podIndex(of: 3)].containers == [3])
            #expect(grouping.pods[grouping.podIndex(of: 2)].containers == [2])
        }
        #expect(space.valid.contains { $0.podIndex(of: 0) == $0.podIndex(of: 1) })
    }

    /// The search stops at its limit and says so.
    @Test func stopsAtTheLimit() throws {
        let space = GroupingSpace.enumerate(
            try Self.topology(containers: Self.containers(6), nodes: Self.nodes(3)), limit: 100)
        #expect(!space.isComplete)
        #expect(space.distinct == 101)
    }
}
