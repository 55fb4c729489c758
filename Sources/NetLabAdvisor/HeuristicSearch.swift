import NetLabModel

/// Candidates for a topology too large to search exhaustively: pods merged greedily along the
/// heaviest traffic, each partition packed onto few nodes and spread over many, then every
/// single move of one container to another pod from the start. A heuristic: it may miss the best
/// grouping, and the advice says so.
struct HeuristicSearch {
    let topology: Topology
    let weights: TrafficWeights

    init(_ topology: Topology) {
        self.topology = topology
        weights = TrafficWeights(topology)
    }

    /// The partitions met while merging, singletons first, then one merge at a time of the two
    /// pods exchanging the most bytes that may share a pod.
    func mergeChain() -> [[[Int]]] {
        var pods = topology.containers.indices.map { [$0] }
        var chain = [pods]
        while true {
            var best: (Int, Int, Double)?
            for a in pods.indices {
                for b in pods.indices where b > a && mayShare(pods[a] + pods[b]) {
                    let weight = weights.between(pods[a], pods[b])
                    if weight > 0, weight > best?.2 ?? 0 { best = (a, b, weight) }
                }
            }
            guard let (a, b, _) = best else { return chain }
            pods[a] += pods[b]
            pods.remove(at: b)
            chain.append(pods)
        }
    }

    /// Whether `containers` may form one pod: equal replica counts, none independent, no pair kept
    /// apart, CPU within the largest node.
    func mayShare(_ containers: [Int]) -> Bool {
        let replicas = Set(containers.map { topology.containers[$0].replicas ?? 1 })
        guard replicas.count == 1, !containers.contains(where: { topology.containers[$0].scaling == .independent })
        else { return false }
        for (slot, a) in containers.enumerated() {
            for b in containers[(slot + 1)...] where topology.placementRules.mustBeSeparate(a, b) { return false }
        }
        let cpu = containers.reduce(0.0) { $0 + topology.containers[$1].cpu }
        return cpu <= Double(topology.cluster.nodes.map(\.cores).max() ?? 0) + 1e-9
    }

    /// Each partition with every container moved once to another pod or to a pod of its own.
    func moves(from partition: [[Int]]) -> [[[Int]]] {
        var result: [[[Int]]] = []
        for (source, pod) in partition.enumerated() {
            for container in pod {
                var without = partition
                without[source].removeAll { $0 == container }
                for target in partition.indices where target != source {
                    var moved = without
                    moved[target].append(container)
                    result.append(moved.filter { !$0.isEmpty })
                }
                if pod.count > 1 { result.append(without + [[container]]) }
            }
        }
        return result
    }

    /// Two placements of `partition`: packed (each replica on the first node with room, pods
    /// that talk most placed first) and spread (each replica on the node with the most room).
    func placements(of partition: [[Int]]) -> [[[Int]]] {
        let nodes = topology.cluster.nodes
        let everyone = partition.flatMap { $0 }
        let talk = partition.map { weights.between($0, everyone) }
        let order = partition.indices.sorted { (-talk[$0], $0) < (-talk[$1], $1) }
        var result: [[[Int]]] = []
        for spread in [false, true] {
            var free = nodes.map { Double($0.cores) }
            var placement = partition.map { _ in [Int]() }
            var fits = true
            for pod in order {
                let cpu = partition[pod].reduce(0.0) { $0 + topology.containers[$1].cpu }
                let replicas = partition[pod].map { topology.containers[$0].replicas ?? 1 }.max() ?? 1
                for _ in 0..<replicas {
                    let candidates = nodes.indices.filter { free[$0] + 1e-9 >= cpu }
                    let chosen = spread ? candidates.max { (free[$0], -$0) < (free[$1], -$1) } : candidates.first
                    guard let node = chosen else {
                        fits = false
                        break
                    }
                    free[node] -= cpu
                    placement[pod].append(node)
                }
            }
            if fits { result.append(placement.map { $0.sorted() }) }
        }
        return result
    }
}
