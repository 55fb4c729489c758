import NetLabModel

/// Roughly how many bytes per second each pair of containers exchanges, from the flows' sizes
/// and rates as written: what the heuristic search merges first. Streams count as the fastest
/// traffic of all; a closed loop as one call per caller per millisecond of think time or less.
struct TrafficWeights {
    private var weights: [Int: Double] = [:]
    private let containers: Int

    init(_ topology: Topology) {
        containers = topology.containers.count
        for flow in topology.flows {
            let bytesPerSecond: Double
            switch flow.pattern {
            case .rpc(let rpc):
                let size = (rpc.request.mean ?? 1000) + (rpc.response.mean ?? 1000)
                bytesPerSecond = size * Self.callsPerSecond(rpc.arrivals)
            case .oneway(let size, let arrivals):
                bytesPerSecond = (size.mean ?? 1000) * Self.callsPerSecond(arrivals)
            case .stream:
                bytesPerSecond = 1e12
            case .injected:
                bytesPerSecond = 0
            }
            weights[key(flow.from, flow.to), default: 0] += bytesPerSecond
        }
    }

    /// Calls per second of an arrival process (intervals are in picoseconds).
    private static func callsPerSecond(_ arrivals: Flow.Arrivals) -> Double {
        switch arrivals {
        case .open(let interval): 1e12 / max(interval.mean ?? 1e9, 1)
        case .closed(let callers, let think): Double(callers) * 1e12 / max(think.mean ?? 0, 1e9)
        }
    }

    private func key(_ a: Int, _ b: Int) -> Int { min(a, b) * containers + max(a, b) }

    /// Bytes per second between containers `a` and `b`, both directions.
    func between(_ a: Int, _ b: Int) -> Double { weights[key(a, b)] ?? 0 }

    /// Bytes per second between two groups of containers.
    func between(_ a: [Int], _ b: [Int]) -> Double {
        a.reduce(0) { total, x in b.reduce(total) { $0 + between(x, $1) } }
    }
}
