import NetLabModel

/// The cluster's nodes sorted into classes of identical nodes (same cores, NIC rate and buffer).
/// One switch joins every node, so swapping two identical nodes changes nothing a simulation can
/// see: placements that differ only by such a swap are one candidate.
struct NodeClasses {
    /// Class of each node.
    let classOf: [Int]
    /// Nodes of each class, in index order.
    let members: [[Int]]

    init(_ cluster: Cluster) {
        var keys: [String] = []
        var classOf: [Int] = []
        var members: [[Int]] = []
        for node in cluster.nodes {
            let key = "\(node.cores)/\(node.nicRate.bitsPerSecond)/\(node.nicBuffer.bytes)"
            if let index = keys.firstIndex(of: key) {
                classOf.append(index)
                members[index].append(classOf.count - 1)
            } else {
                keys.append(key)
                classOf.append(keys.count - 1)
                members.append([classOf.count - 1])
            }
        }
        self.classOf = classOf
        self.members = members
    }

    /// What stays the same when identical nodes are swapped: per class, the sorted list of what
    /// each of its nodes holds (the pods of its replicas, sorted).
    func canonicalKey(_ replicaNodes: [[Int]]) -> [[[Int]]] {
        var contents = Array(repeating: [Int](), count: classOf.count)
        for (pod, nodes) in replicaNodes.enumerated() {
            for node in nodes { contents[node].append(pod) }
        }
        return members.map { nodes in nodes.map { contents[$0].sorted() }.sorted { $0.lexicographicallyPrecedes($1) } }
    }

    /// What identifies a grouping up to pod order, pod names and swaps of identical nodes.
    struct Signature: Hashable {
        let pods: [[Int]]
        let placement: [[[Int]]]
    }

    func signature(of grouping: Grouping) -> Signature {
        let pods = grouping.pods.map { (containers: $0.containers.sorted(), nodes: $0.replicaNodes) }
            .sorted { $0.containers.lexicographicallyPrecedes($1.containers) }
        return Signature(pods: pods.map(\.containers), placement: canonicalKey(pods.map(\.nodes)))
    }
}
