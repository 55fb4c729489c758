import Testing

@testable import NetLabModel

/// Nodes on one host (`"host"`, as a kind cluster's nodes are containers of one machine) share its
/// cores: what runs on one node takes CPU from the other.
@Suite struct SharedHostTests {
    /// Two nodes of `cores` cores, on one host when `host` is given, and a grouping of `pods`.
    static func twoNodes(cores: Int, host: String?, containers: String, flows: String, pods: String) -> String {
        let shared = host.map { #", "host": "\#($0)""# } ?? ""
        return """
            { "name": "hosts", "duration": "60ms", "warmup": "10ms", "profile": "linux-default",
              "cluster": { "nodes": [ { "name": "a", "cores": \(cores)\(shared) }, { "name": "b", "cores": \(cores)\(shared) } ] },
              "containers": \(containers), "flows": [ \(flows) ],
              "groupings": [ { "name": "g", "pods": \(pods) } ] }
            """
    }

    /// One shared-memory stream in a pod on each node: with a host each they run side by side at
    /// full speed; on one host of the same cores they share them, each at half the speed, and both
    /// nodes report the host's busy cores.
    @Test func streamsOnNodesOfOneHostShareItsCores() throws {
        let containers = #"["s1", "r1", "s2", "r2"]"#
        let flows = #"""
            { "from": "s1", "to": "r1", "pattern": "stream", "transport": "shm" },
            { "from": "s2", "to": "r2", "pattern": "stream", "transport": "shm" }
            """#
        let pods = #"""
            [ { "containers": ["s1", "r1"], "node": "a" }, { "containers": ["s2", "r2"], "node": "b" } ]
            """#
        let apart = try Fixtures.run(
            Self.twoNodes(cores: 2, host: nil, containers: containers, flows: flows, pods: pods)
        ).groupings[0]
        let together = try Fixtures.run(
            Self.twoNodes(cores: 2, host: "laptop", containers: containers, flows: flows, pods: pods)
        ).groupings[0]
        for flow in 0..<2 {
            let ratio = together.flows[flow].throughputBitsPerSecond / apart.flows[flow].throughputBitsPerSecond
            #expect(abs(ratio - 0.5) < 0.05, "stream \(flow): \(ratio) of its speed on a host of its own")
        }
        #expect(together.nodes[0].cpuUtilization == together.nodes[1].cpuUtilization)
        #expect(
            abs(together.nodes[0].cpuUtilization - apart.nodes[0].cpuUtilization) < 0.05,
            "host \(together.nodes[0].cpuUtilization), each node apart \(apart.nodes[0].cpuUtilization)")
    }

    /// A TCP stream from node a to node b: on two hosts the sender's and the receiver's kernel work
    /// run on four cores; on one host of two cores they compete, and the stream is slower.
    @Test func aStreamBetweenNodesOfOneHostCompetesForItsCores() throws {
        let containers = #"[{ "name": "client", "cpuset": [0] }, { "name": "server", "cpuset": [1] }]"#
        let flows = #"{ "from": "client", "to": "server", "pattern": "stream", "transport": "tcp" }"#
        let pods = #"[ { "containers": ["client"], "node": "a" }, { "containers": ["server"], "node": "b" } ]"#
        let apart = try Fixtures.run(
            Self.twoNodes(cores: 2, host: nil, containers: containers, flows: flows, pods: pods)
        ).groupings[0].flows[0].throughputBitsPerSecond
        let together = try Fixtures.run(
            Self.twoNodes(cores: 2, host: "laptop", containers: containers, flows: flows, pods: pods)
        ).groupings[0].flows[0].throughputBitsPerSecond
        #expect(together < 0.9 * apart, "\(together) b/s on one host, \(apart) on two")
    }
}
