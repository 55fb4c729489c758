import Benchmark
import NetLabAdvisor
import NetLabModel

/// The grouping search of `netlab advise` at the size the advisor promises to search
/// exhaustively in a minute on two cores: 6 containers × 2 identical nodes, 1 s of traffic per
/// run (the topology's default duration), no placement rules, so every one of the 804 groupings
/// whose CPU requests fit is raced. Wall clock is the figure; the goal is under 60 s.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal],
        warmupIterations: 0,
        maxDuration: .seconds(120),
        maxIterations: 1
    )

    let topology = try! TopologyReader.read(sixContainers, file: "six.json", requireGroupings: false)
    Benchmark("advise 6 containers x 2 nodes exhaustive") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Advisor.advise(topology, profile: .linuxDefault, settings: AdviceSettings(seed: 7)))
        }
    }
}

let sixContainers = """
    { "name": "six", "duration": "1s", "warmup": "100ms",
      "cluster": { "nodes": [ { "name": "a", "cores": 4, "nic": { "rate": "10Gbps" } }, { "name": "b", "cores": 4, "nic": { "rate": "10Gbps" } } ],
                   "fabric": { "rate": "10Gbps", "latency": "2us" }, "overlay": "vxlan" },
      "containers": [ { "name": "client", "cpu": 0.5 }, { "name": "frontend", "cpu": 1.5 }, { "name": "log", "cpu": 0.25 },
                      { "name": "cart", "cpu": 0.5 }, { "name": "catalog", "cpu": 1.5 }, { "name": "cache", "cpu": 0.5 } ],
      "flows": [
        { "from": "client", "to": "frontend", "pattern": "rpc", "request": "600B", "response": { "lognormal": { "median": "8KiB", "sigma": 0.6 } },
          "server_time": { "exp": "40us" }, "rate": "2000/s" },
        { "from": "frontend", "to": "cart", "pattern": "rpc", "request": "300B", "response": "1KiB", "server_time": { "exp": "30us" }, "rate": "1000/s" },
        { "from": "frontend", "to": "catalog", "pattern": "rpc", "request": "200B", "response": { "lognormal": { "median": "4KiB", "sigma": 0.5 } },
          "server_time": { "exp": "60us" }, "rate": "2000/s" },
        { "from": "catalog", "to": "cache", "pattern": "rpc", "request": "100B", "response": "2KiB", "server_time": "5us", "rate": "4000/s" },
        { "from": "frontend", "to": "log", "pattern": "oneway", "transport": "uds", "fallback": "tcp", "size": { "uniform": ["200B", "600B"] }, "rate": "2000/s" } ] }
    """
