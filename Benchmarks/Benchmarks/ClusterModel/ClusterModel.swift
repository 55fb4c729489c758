import Benchmark
import NetLabCore
import NetLabModel

/// End-to-end simulations of the cluster model.
///
/// - `cross-node UDP 1e6 packets`: the scenario of issue #3's ns-3 reference (two nodes, 10 Gb/s,
///   1,000,000 UDP packets of 1000 B) under the `ideal` profile; throughput reads in packets/s.
/// - `load 100 nodes 1000 containers 10000 flows`: reading and validating a large topology.
/// - `simulate 100 nodes 1000 containers 10000 flows`: 1 s of its traffic (peak memory shows it
///   stays bounded).
/// - `simulate 100 nodes 10000 containers 100000 flows 1s`: the same traffic spread over ten times
///   the containers and flows (10 calls/s each): what grows with the cluster rather than with
///   the work.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(30),
        maxIterations: 3
    )

    let udpTopology = try! TopologyReader.read(udpScenario, file: "udp-1m.json")
    Benchmark("cross-node UDP 1e6 packets", configuration: .init(scalingFactor: .mega)) { benchmark in
        // One scaled iteration is one packet: the million packets of one simulated second.
        for _ in 0..<(benchmark.scaledIterations.count / 1_000_000) {
            blackHole(Experiment.simulate(udpTopology, grouping: 0, profile: .ideal, seed: 1))
        }
    }

    let large = largeScenario()
    Benchmark("load 100 nodes 1000 containers 10000 flows") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! TopologyReader.read(large, file: "large.json"))
        }
    }

    let largeTopology = try! TopologyReader.read(large, file: "large.json")
    Benchmark("simulate 100 nodes 1000 containers 10000 flows 1s", configuration: .init(maxIterations: 1)) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Experiment.simulate(largeTopology, grouping: 0, profile: .linuxDefault, seed: 1))
        }
    }

    let hugeTopology = try! TopologyReader.read(
        largeScenario(containers: 10_000, flows: 100_000, callsPerSecond: 10), file: "huge.json")
    Benchmark("simulate 100 nodes 10000 containers 100000 flows 1s", configuration: .init(maxIterations: 1)) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Experiment.simulate(hugeTopology, grouping: 0, profile: .linuxDefault, seed: 1))
        }
    }
}

let udpScenario = """
    { "name": "udp-1m", "duration": "1s", "profile": "ideal",
      "cluster": { "nodes": [ { "name": "a", "nic": { "rate": "10Gbps" } }, { "name": "b", "nic": { "rate": "10Gbps" } } ],
                   "fabric": { "rate": "10Gbps", "latency": "1us" } },
      "containers": ["sender", "receiver"],
      "flows": [ { "from": "sender", "to": "receiver", "pattern": "oneway", "transport": "udp", "size": "1000B", "interval": "1us" } ],
      "groupings": [ { "name": "cross-node", "pods": [ { "containers": ["sender"], "node": "a" }, { "containers": ["receiver"], "node": "b" } ] } ] }
    """

/// 100 nodes of 32 cores, `containers` containers in pods of 5, `flows` rpc flows between random
/// containers at `callsPerSecond` each (by default 1000 containers and 10,000 flows at 100 calls/s:
/// a million calls per simulated second).
func largeScenario(containers: Int = 1000, flows flowCount: Int = 10_000, callsPerSecond: Int = 100) -> String {
    var random = RandomStream(seed: 1)
    let nodes = (0..<100).map { #"{ "name": "node-\#($0)", "cores": 32, "nic": { "rate": "25Gbps" } }"# }
    let containerList = (0..<containers).map { #"{ "name": "c\#($0)", "cpu": 0.25 }"# }
    var flows: [String] = []
    for index in 0..<flowCount {
        let from = Int(random.next() % UInt64(containers))
        var to = Int(random.next() % UInt64(containers))
        if to == from { to = (to + 1) % containers }
        flows.append(
            #"{ "name": "f\#(index)", "from": "c\#(from)", "to": "c\#(to)", "pattern": "rpc", "request": "200B", "response": { "exp": "2KiB" }, "rate": "\#(callsPerSecond)/s" }"#
        )
    }
    let pods = (0..<containers / 5).map { pod in
        let members = (pod * 5..<pod * 5 + 5).map { "\"c\($0)\"" }.joined(separator: ", ")
        return #"{ "name": "p\#(pod)", "containers": [\#(members)], "node": "node-\#(pod % 100)" }"#
    }
    return """
        { "name": "large", "duration": "1s", "warmup": "100ms",
          "cluster": { "nodes": [\(nodes.joined(separator: ", "))], "fabric": { "rate": "100Gbps", "latency": "2us" } },
          "containers": [\(containerList.joined(separator: ", "))],
          "flows": [\(flows.joined(separator: ",\n"))],
          "groupings": [ { "name": "g", "pods": [\(pods.joined(separator: ", "))] } ] }
        """
}
