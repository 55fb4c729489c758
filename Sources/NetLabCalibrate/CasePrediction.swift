import NetLabCore
import NetLabModel

/// What netlab predicts for a calibration case: the case as a topology (the host as a node of its
/// cores, or two such nodes for the routed and VXLAN stand-ins, joined without wire delay and with
/// a link far faster than any host path), simulated under a profile.
public enum CasePrediction {
    /// Round trip p50 in microseconds, or throughput in bits per second, as the case measures.
    public static func predict(_ calibrationCase: CalibrationCase, profile: CostProfile, cores: Int) -> Double {
        let topology = try! TopologyReader.read(
            topologyText(calibrationCase, cores: cores), file: "calibration-case.json")
        let result = Experiment.simulate(topology, grouping: 0, profile: profile, seed: 1)
        let flow = result.flows[0]
        switch calibrationCase.kind {
        case .roundTrip: return Double(flow.latency.valueAtPercentile(50)) / 1000
        case .bulk: return flow.throughputBitsPerSecond
        }
    }

    static func topologyText(_ item: CalibrationCase, cores: Int) -> String {
        let transport: String
        var wait = item.poll ? "poll" : "block"
        switch item.transport {
        case .shmFutex: transport = "shm"; wait = "block"
        case .shmSpin: transport = "shm"; wait = "poll"
        default: transport = item.transport.rawValue
        }
        let serverCore = item.placement == .sameCore ? 0 : 1
        let containers =
            #"[ { "name": "client", "cpuset": [0], "wait": "\#(wait)" }, { "name": "server", "cpuset": [\#(serverCore)], "wait": "\#(wait)" } ]"#
        let flow: String
        let duration: String
        switch item.kind {
        case .roundTrip:
            flow =
                #"{ "from": "client", "to": "server", "pattern": "rpc", "transport": "\#(transport)", "request": "\#(item.size)B", "response": "\#(item.size)B", "callers": 1 }"#
            // Every round trip of a lone caller with fixed sizes is alike: a few dozen suffice.
            duration = #""duration": "5ms", "warmup": "1ms""#
        case .bulk:
            flow = #"{ "from": "client", "to": "server", "pattern": "stream", "transport": "\#(transport)" }"#
            duration = #""duration": "40ms", "warmup": "10ms""#
        }
        let node = #""cores": \#(max(cores, 2)), "nic": { "rate": "1Tbps", "buffer": "64MiB" }"#
        let nodes: String, pods: String
        switch item.path {
        case .inPod:
            nodes = #"[ { "name": "host", \#(node) } ]"#
            pods = #"[ { "containers": ["client", "server"], "node": "host" } ]"#
        case .bridge:
            nodes = #"[ { "name": "host", \#(node) } ]"#
            pods = #"[ { "containers": ["client"], "node": "host" }, { "containers": ["server"], "node": "host" } ]"#
        case .routed, .vxlan:
            nodes = #"[ { "name": "a", \#(node) }, { "name": "b", \#(node) } ]"#
            pods = #"[ { "containers": ["client"], "node": "a" }, { "containers": ["server"], "node": "b" } ]"#
        }
        let overlay = item.path == .vxlan ? #", "overlay": "vxlan""# : ""
        return """
            { "name": "calibration", \(duration),
              "cluster": { "nodes": \(nodes), "fabric": { "rate": "1Tbps", "latency": "0ns", "buffer": "64MiB" }\(overlay) },
              "containers": \(containers), "flows": [ \(flow) ],
              "groupings": [ { "name": "case", "pods": \(pods) } ] }
            """
    }
}
