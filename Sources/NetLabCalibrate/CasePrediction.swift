import NetLabCore
import NetLabModel

/// What netlab predicts for a calibration case: the case as a topology (the host as a node of its
/// cores, or two nodes sharing them for the routed and VXLAN stand-ins, joined without wire delay
/// and with a link far faster than any host path; a shaped case's client with its token bucket as
/// `bandwidth`), simulated under a profile.
public enum CasePrediction {
    /// How many round trips a prediction simulates: a hundred or so, enough where every round trip
    /// is alike (the fit of the figures, with nothing varying); two thousand for the fit of the
    /// spreads; six thousand, enough for p99 and a first look at p99.9 (the report).
    public enum Samples: Sendable {
        case few, tail, many

        /// Round trips of 50 µs simulated (longer ones give fewer, still enough).
        var roundTrips: Int {
            switch self {
            case .few: 100
            case .tail: 2_000
            case .many: 6_000
            }
        }
    }

    /// A round trip's p50 and upper quantiles in microseconds, or a stream's throughput in bits
    /// per second (no tail).
    public struct Prediction: Sendable {
        public var value: Double
        public var tail: RoundTripTail?
    }

    /// What netlab predicts for `calibrationCase` under `profile` on a host of `cores` cores.
    public static func predict(
        _ calibrationCase: CalibrationCase, profile: CostProfile, cores: Int, samples: Samples = .few
    ) -> Prediction {
        let topology = try! TopologyReader.read(
            topologyText(calibrationCase, cores: cores, samples: samples), file: "calibration-case.json")
        let result = Experiment.simulate(topology, grouping: 0, profile: profile, seed: 1)
        let flow = result.flows[0]
        switch calibrationCase.kind {
        case .roundTrip:
            func microseconds(_ percentile: Double) -> Double {
                Double(flow.latency.valueAtPercentile(percentile)) / 1000
            }
            return Prediction(
                value: microseconds(50),
                tail: RoundTripTail(p90: microseconds(90), p99: microseconds(99), p999: microseconds(99.9)))
        case .bulk: return Prediction(value: flow.throughputBitsPerSecond, tail: nil)
        }
    }

    static func topologyText(_ item: CalibrationCase, cores: Int, samples: Samples = .few) -> String {
        let transport: String
        var wait = item.poll ? "poll" : "block"
        switch item.transport {
        case .shmFutex: transport = "shm"; wait = "block"
        case .shmSpin: transport = "shm"; wait = "poll"
        default: transport = item.transport.rawValue
        }
        let cpusets: (client: String, server: String)
        switch item.placement {
        case .sameCore: cpusets = (#", "cpuset": [0]"#, #", "cpuset": [0]"#)
        case .twoCores: cpusets = (#", "cpuset": [0]"#, #", "cpuset": [1]"#)
        case .unpinned: cpusets = ("", "")
        }
        let shaper = item.shaper.map {
            #", "bandwidth": { "egress": { "rate": "\#($0.rate)", "burst": "\#($0.burst)", "limit": "\#($0.limit)" } }"#
        }
        let containers =
            #"[ { "name": "client"\#(cpusets.client)\#(shaper ?? ""), "wait": "\#(wait)" }, { "name": "server"\#(cpusets.server), "wait": "\#(wait)" } ]"#
        let flow: String
        let duration: String
        switch item.kind {
        case .roundTrip:
            let think = item.thinkMicroseconds > 0 ? #", "think": "\#(item.thinkMicroseconds)us""# : ""
            flow =
                #"{ "from": "client", "to": "server", "pattern": "rpc", "transport": "\#(transport)", "request": "\#(item.size)B", "response": "\#(item.size)B", "callers": 1\#(think) }"#
            // Round trips of a lone caller differ only by the host's variation: thousands give a
            // p99 (with long think times, two thousand at most).
            let count = item.thinkMicroseconds > 0 ? min(samples.roundTrips, 2_000) : samples.roundTrips
            let milliseconds = count * (50 + item.thinkMicroseconds) / 1_000
            duration = #""duration": "\#(max(5, milliseconds))ms", "warmup": "1ms""#
        case .bulk:
            let algorithm = item.congestionControl.map { #", "congestion_control": "\#($0.rawValue)""# } ?? ""
            flow =
                #"{ "from": "client", "to": "server", "pattern": "stream", "transport": "\#(transport)"\#(algorithm) }"#
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
            // Both namespaces are on this host: the two nodes share its cores.
            nodes = #"[ { "name": "a", "host": "host", \#(node) }, { "name": "b", "host": "host", \#(node) } ]"#
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
