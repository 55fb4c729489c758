import Foundation
import NetLabCore

@testable import NetLabModel

/// Topologies built in code for the model tests.
enum Fixtures {
    /// Two nodes joined by one switch, one flow from `src` on node a to `dst` on node b. Node b's
    /// NIC runs at `receiverNICRate` (default: as a's); each link runs at the slower of its ends.
    static func twoNodes(
        flow: String, duration: String, warmup: String = "10ms", seed: Int = 1, nicRate: String = "1Gbps",
        receiverNICRate: String? = nil,
        fabricRate: String = "100Gbps", latency: String = "1us", buffer: String = "1GiB", mtu: String = "1500B",
        profile: String = "ideal"
    ) -> String {
        """
        { "name": "two-nodes", "duration": "\(duration)", "warmup": "\(warmup)", "seed": \(seed), "profile": "\(profile)",
          "cluster": { "mtu": "\(mtu)",
            "nodes": [ { "name": "a", "nic": { "rate": "\(nicRate)", "buffer": "\(buffer)" } },
                       { "name": "b", "nic": { "rate": "\(receiverNICRate ?? nicRate)", "buffer": "\(buffer)" } } ],
            "fabric": { "rate": "\(fabricRate)", "latency": "\(latency)", "buffer": "\(buffer)" } },
          "containers": ["src", "dst"],
          "flows": [ \(flow) ],
          "groupings": [ { "name": "split", "pods": [ { "containers": ["src"], "node": "a" }, { "containers": ["dst"], "node": "b" } ] } ] }
        """
    }

    /// The three classic groupings of a pair of containers: one pod, two pods on one node, two nodes.
    static func threeGroupings(
        flows: String, duration: String = "200ms", nicRate: String = "10Gbps", profile: String = "linux-default"
    ) -> String {
        """
        { "name": "pair", "duration": "\(duration)", "warmup": "20ms", "seed": 7, "profile": "\(profile)",
          "cluster": { "nodes": [ { "name": "a", "cores": 4, "nic": { "rate": "\(nicRate)" } }, { "name": "b", "cores": 4, "nic": { "rate": "\(nicRate)" } } ],
                       "fabric": { "rate": "\(nicRate)", "latency": "2us" } },
          "containers": ["app", "helper"],
          "flows": [ \(flows) ],
          "groupings": [
            { "name": "one-pod", "pods": [ { "containers": ["app", "helper"], "node": "a" } ] },
            { "name": "same-node", "pods": [ { "containers": ["app"], "node": "a" }, { "containers": ["helper"], "node": "a" } ] },
            { "name": "cross-node", "pods": [ { "containers": ["app"], "node": "a" }, { "containers": ["helper"], "node": "b" } ] } ] }
        """
    }

    static func topology(_ text: String) throws -> Topology {
        try TopologyReader.read(text, file: "test.json")
    }

    static func run(_ text: String, profile: CostProfile? = nil) throws -> SimulationResult {
        let topology = try topology(text)
        let chosen = profile ?? ProfileReader.builtIn(topology.profileName, overrides: topology.profileOverrides)!
        return Experiment.run(
            topology, groupings: Array(topology.groupings.indices), profile: chosen, seed: topology.seed)
    }
}
