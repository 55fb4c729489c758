import NetLabModel

/// Every grouping of a topology's containers into pods and of pod replicas onto nodes, counted
/// three ways: all assignments on labelled nodes, the distinct ones once identical nodes are
/// interchangeable, and the valid ones (CPU requests fit, replica counts agree, the topology's
/// rules kept).
public struct GroupingSpace: Sendable {
    /// Set partitions of the containers (a Bell number) × placements of each pod's replicas on
    /// labelled nodes (multisets: C(nodes + replicas − 1, replicas) per pod). A Double: it
    /// outgrows integers quickly.
    public var assignments: Double = 0
    /// Those that differ once identical nodes may be swapped.
    public var distinct = 0
    /// The distinct ones that can run and keep the rules, in enumeration order.
    public var valid: [Grouping] = []
    /// Distinct candidates refused, by reason.
    public var refused: [(reason: String, count: Int)] = []
    /// False when enumeration stopped at the limit: `valid` is then only a start.
    public var isComplete = true

    /// Enumerates the space of `topology`, stopping once `limit` distinct candidates are seen.
    public static func enumerate(_ topology: Topology, limit: Int) -> GroupingSpace {
        var space = GroupingSpace()
        var enumerator = Enumerator(topology: topology, limit: limit)
        enumerator.partitions(next: 0, blocks: [], space: &space)
        space.refused = enumerator.refusals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
            (reason: $0.key, count: $0.value)
        }
        return space
    }
}

private struct Enumerator {
    let topology: Topology
    let limit: Int
    let classes: NodeClasses
    var refusals: [String: Int] = [:]

    init(topology: Topology, limit: Int) {
        self.topology = topology
        self.limit = limit
        classes = NodeClasses(topology.cluster)
    }

    /// Set partitions by restricted growth: container `next` joins an existing block or opens one.
    mutating func partitions(next: Int, blocks: [[Int]], space: inout GroupingSpace) {
        guard space.isComplete else { return }
        guard next < topology.containers.count else {
            place(blocks, space: &space)
            return
        }
        for index in blocks.indices {
            var grown = blocks
            grown[index].append(next)
            partitions(next: next + 1, blocks: grown, space: &space)
        }
        partitions(next: next + 1, blocks: blocks + [[next]], space: &space)
    }

    /// Counts and, up to node symmetry, lists the placements of one partition's pods.
    mutating func place(_ blocks: [[Int]], space: inout GroupingSpace) {
        let replicas = blocks.map { block in block.map { topology.containers[$0].replicas ?? 1 }.max() ?? 1 }
        let nodes = topology.cluster.nodes.count
        space.assignments += replicas.reduce(1.0) { $0 * multisets(of: $1, from: nodes) }
        var seen = Set<[[[Int]]]>()
        var nextUnused = Array(repeating: 0, count: classes.members.count)
        var used = Array(repeating: false, count: nodes)
        var chosen = blocks.map { _ in [Int]() }
        func visit(pod: Int, replica: Int, _ this: inout Enumerator, _ space: inout GroupingSpace) {
            guard space.isComplete else { return }
            if pod == blocks.count {
                guard seen.insert(classes.canonicalKey(chosen)).inserted else { return }
                space.distinct += 1
                if space.distinct > this.limit {
                    space.isComplete = false
                    return
                }
                this.admit(blocks, chosen, space: &space)
                return
            }
            if replica == replicas[pod] {
                visit(pod: pod + 1, replica: 0, &this, &space)
                return
            }
            let floor = replica > 0 ? chosen[pod][replica - 1] : 0
            var options = (floor..<nodes).filter { used[$0] }
            for members in this.classes.members {
                let classIndex = this.classes.classOf[members[0]]
                if nextUnused[classIndex] < members.count, members[nextUnused[classIndex]] >= floor {
                    options.append(members[nextUnused[classIndex]])
                }
            }
            for node in options.sorted() {
                let opens = !used[node]
                let classIndex = this.classes.classOf[node]
                if opens {
                    used[node] = true
                    nextUnused[classIndex] += 1
                }
                chosen[pod].append(node)
                visit(pod: pod, replica: replica + 1, &this, &space)
                chosen[pod].removeLast()
                if opens {
                    used[node] = false
                    nextUnused[classIndex] -= 1
                }
            }
        }
        var this = self
        visit(pod: 0, replica: 0, &this, &space)
        self = this
    }

    /// Keeps a candidate that can run and keeps the rules; counts why the others cannot.
    mutating func admit(_ blocks: [[Int]], _ placement: [[Int]], space: inout GroupingSpace) {
        let (grouping, refusal) = GroupingSpace.grouping(of: blocks, placedOn: placement, in: topology)
        if let refusal {
            refusals[refusal, default: 0] += 1
        } else {
            space.valid.append(grouping)
        }
    }
}

extension GroupingSpace {
    /// The grouping with pods `blocks` (container indices) whose replicas run on `placement`
    /// (node indices per pod), named after its pods and nodes, and why it cannot be used, if so.
    static func grouping(of blocks: [[Int]], placedOn placement: [[Int]], in topology: Topology)
        -> (Grouping, refusal: String?)
    {
        let nodeNames = topology.cluster.nodes.map(\.name)
        let pods = zip(blocks, placement).map { block, nodes in
            Pod(
                name: block.map { topology.containers[$0].name }.joined(separator: "+"), containers: block,
                replicaNodes: nodes)
        }
        let name = zip(pods, placement).map { pod, nodes in
            "\(pod.name)@\(Array(Set(nodes)).sorted().map { nodeNames[$0] }.joined(separator: ","))"
        }.joined(separator: " ")
        let grouping = Grouping(name: name, pods: pods, containerCount: topology.containers.count)
        let mixed = zip(blocks, placement).contains { block, nodes in
            block.contains { (topology.containers[$0].replicas ?? 1) != nodes.count }
        }
        if mixed { return (grouping, "replica counts differ within a pod") }
        if topology.cluster.placementProblem(of: pods, containers: topology.containers, grouping: name) != nil {
            return (grouping, "does not fit the nodes (CPU requests, pinned cores or polling threads)")
        }
        if let violation = topology.ruleViolation(in: grouping) {
            return (grouping, "breaks \(violation.rule.rawValue)")
        }
        if topology.placementRules.replicaSpread == .even, !pods.allSatisfy(topology.spreadsEvenly) {
            return (grouping, "spreads replicas unevenly over the nodes (replica_spread: even)")
        }
        return (grouping, nil)
    }
}

/// Multisets of size `k` from `n` kinds: C(n + k − 1, k).
func multisets(of k: Int, from n: Int) -> Double {
    var result = 1.0
    for step in 0..<k { result = result * Double(n + step) / Double(step + 1) }
    return result
}
