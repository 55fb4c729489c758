import NetLabCore
import NetLabModel
import NetLabSpec

/// Kubernetes manifests and a traffic file turned into a topology: one container per container
/// of each pod template (native sidecars included), the workloads' pods as written as the first
/// grouping (`as-deployed`), then alternatives: sidecars split into pods of their own, and each
/// pair of workloads that talk merged into one pod where their replica counts allow.
public struct KubernetesImport: Sendable {
    /// The workloads and Services read.
    public var manifests: Manifests
    /// The flows, the run and the cluster the manifests do not give.
    public var traffic: TrafficFile
    /// The nodes the workloads are placed on.
    public var cluster: ClusterShape
    /// Groupings that could not be generated, and why.
    public private(set) var notes: [String] = []

    /// Each workload container's topology name: the container's own name where it is unique,
    /// else `workload.container`.
    private var names: [[String]] = []

    /// An import of `manifests` with `traffic`'s flows; `cluster` (from `--nodes`) replaces the
    /// traffic file's `cluster`. Fails without either: manifests do not say what nodes there are.
    public init(manifests: Manifests, traffic: TrafficFile, cluster: ClusterShape?) throws(KubernetesError) {
        self.manifests = manifests
        self.traffic = traffic
        if let cluster {
            self.cluster = cluster
        } else if let block = traffic.member("cluster") {
            self.cluster = try ClusterShape.read(block, file: traffic.file)
        } else {
            throw KubernetesError(
                file: traffic.file, path: "cluster",
                problem: "no cluster: the manifests do not say what nodes there are",
                fix: "add cluster: {nodes: 3, cores: 8, nic: 10Gbps} to the traffic file, or pass --nodes 3x8")
        }
        var count: [String: Int] = [:]
        for workload in manifests.workloads {
            for container in workload.containers { count[container.name, default: 0] += 1 }
        }
        names = manifests.workloads.map { workload in
            workload.containers.map { count[$0.name]! == 1 ? $0.name : "\(workload.name).\($0.name)" }
        }
    }

    /// The topology tree (validated by the topology reader before it is returned).
    public mutating func topology() throws(KubernetesError) -> JSONNode {
        let flows = try resolvedFlows()
        var members: [(String, JSONNode)] = []
        for key in ["name", "duration", "warmup", "seed", "profile"] {
            if let value = traffic.member(key) { members.append((key, value)) }
        }
        if traffic.member("name") == nil { members.insert(("name", SpecTree.string("imported")), at: 0) }
        let nodes = (1...cluster.nodes).map { index in
            SpecTree.object([
                ("name", SpecTree.string("node-\(index)")), ("cores", SpecTree.integer(cluster.cores)),
                ("nic", SpecTree.object([("rate", SpecTree.string(cluster.nic))])),
            ])
        }
        members.append(("cluster", SpecTree.object([("nodes", SpecTree.array(nodes))] + cluster.extra)))
        var containers: [JSONNode] = []
        for (w, workload) in manifests.workloads.enumerated() {
            for (c, container) in workload.containers.enumerated() {
                var fields: [(String, JSONNode)] = [
                    ("name", SpecTree.string(names[w][c])), ("cpu", SpecTree.number(container.cpu)),
                ]
                if let replicas = workload.replicas { fields.append(("replicas", SpecTree.integer(replicas))) }
                if let image = container.image { fields.append(("image", SpecTree.string(image))) }
                let ports = portsWritten(container.ports, of: workload)
                if !ports.isEmpty { fields.append(("ports", SpecTree.array(ports))) }
                if !workload.bandwidth.isEmpty {
                    var limits: [(String, JSONNode)] = []
                    if let rate = workload.bandwidth.ingress {
                        limits.append(("ingress", SpecTree.string("\(rate)bps")))
                    }
                    if let rate = workload.bandwidth.egress { limits.append(("egress", SpecTree.string("\(rate)bps"))) }
                    fields.append(("bandwidth", SpecTree.object(limits)))
                }
                containers.append(SpecTree.object(fields))
            }
        }
        members.append(("containers", SpecTree.array(containers)))
        for key in ["same_host", "separate"] { if let value = traffic.member(key) { members.append((key, value)) } }
        members.append(("flows", SpecTree.array(flows.map(\.node))))
        members.append(("groupings", SpecTree.array(try groupings(talking: flows.map(\.workloads)))))
        let root = SpecTree.object(members)
        do { _ = try TopologyReader.read(document: root, file: traffic.file) } catch {
            throw KubernetesError(
                file: traffic.file, path: error.path,
                problem: "the imported topology is not valid: \(error.problem)", fix: error.fix, cause: error)
        }
        return root
    }

    /// A container's ports as the topology keeps them: the number alone, or with the port a
    /// Service that selects the workload offers for it.
    func portsWritten(_ ports: [Int], of workload: Workload) -> [JSONNode] {
        var seen: Set<Int> = []
        return ports.filter { (1...65_535).contains($0) && seen.insert($0).inserted }.map { port in
            let offered = manifests.services.lazy.filter { service in
                !service.selector.isEmpty && service.selector.allSatisfy { workload.labels[$0.key] == $0.value }
            }.compactMap { $0.portByTarget[port] }.first
            guard let offered, offered != port else { return SpecTree.integer(port) }
            return SpecTree.object([
                ("container_port", SpecTree.integer(port)), ("service_port", SpecTree.integer(offered)),
            ])
        }
    }

    // MARK: Flows

    /// The traffic file's flows with `from` and `to` replaced by topology container names, and
    /// the workloads each joins.
    func resolvedFlows() throws(KubernetesError) -> [(node: JSONNode, workloads: (Int, Int))] {
        var result: [(node: JSONNode, workloads: (Int, Int))] = []
        for (index, flow) in traffic.flows.enumerated() {
            let path = "flows[\(index)]"
            guard case .object(var members) = flow.value else {
                throw KubernetesError(
                    file: traffic.file, node: flow, path: path, problem: "not a mapping",
                    fix: "write the flow as a mapping")
            }
            var ends: [Int] = []
            for key in ["from", "to"] {
                guard let slot = members.firstIndex(where: { $0.key == key }),
                    case .string(let reference) = members[slot].value.value
                else {
                    throw KubernetesError(
                        file: traffic.file, node: flow, path: "\(path).\(key)", problem: "missing \"\(key)\"",
                        fix: "name a workload, workload/container or Service")
                }
                let (workload, container) = try resolve(reference, node: members[slot].value, path: "\(path).\(key)")
                ends.append(workload)
                members[slot].value = SpecTree.string(names[workload][container])
            }
            result.append((SpecTree.node(.object(members)), (ends[0], ends[1])))
        }
        return result
    }

    /// A workload, `workload/container` or Service name as (workload, container) indices.
    func resolve(_ reference: String, node: JSONNode, path: String) throws(KubernetesError) -> (Int, Int) {
        let workloads = manifests.workloads
        if let slash = reference.firstIndex(of: "/") {
            let workloadName = String(reference[..<slash]),
                containerName = String(reference[reference.index(after: slash)...])
            guard let w = workloads.firstIndex(where: { $0.name == workloadName }) else {
                throw unknown(workloadName, node: node, path: path)
            }
            guard let c = workloads[w].containers.firstIndex(where: { $0.name == containerName }) else {
                throw KubernetesError(
                    file: traffic.file, node: node, path: path,
                    problem: "workload \"\(workloadName)\" has no container \"\(containerName)\"",
                    fix: "its containers are: \(workloads[w].containers.map(\.name).joined(separator: ", "))")
            }
            return (w, c)
        }
        if let service = manifests.services.first(where: { $0.name == reference }) {
            let selected = workloads.indices.filter { w in
                !service.selector.isEmpty && service.selector.allSatisfy { workloads[w].labels[$0.key] == $0.value }
            }
            guard selected.count == 1 else {
                let selector = service.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                    separator: ",")
                throw KubernetesError(
                    file: traffic.file, node: node, path: path,
                    problem: selected.isEmpty
                        ? "Service \"\(reference)\" (\(service.file), document \(service.document + 1)) selects no workload (selector \(selector.isEmpty ? "empty" : selector))"
                        : "Service \"\(reference)\" selects \(selected.count) workloads (\(selected.map { workloads[$0].name }.joined(separator: ", ")))",
                    fix: selected.isEmpty
                        ? "fix the Service's selector or the workload's pod labels"
                        : "address one workload by name instead of the Service")
            }
            let w = selected[0]
            let c = workloads[w].containers.firstIndex { !Set($0.ports).isDisjoint(with: service.targetPorts) } ?? 0
            return (w, c)
        }
        guard let w = workloads.firstIndex(where: { $0.name == reference }) else {
            throw unknown(reference, node: node, path: path)
        }
        return (w, 0)
    }

    func unknown(_ name: String, node: JSONNode, path: String) -> KubernetesError {
        let known = manifests.workloads.map(\.name) + manifests.services.map(\.name)
        let hint = didYouMean(name, among: known)
        return KubernetesError(
            file: traffic.file, node: node, path: path, problem: "no workload or Service \"\(name)\"",
            fix: "\(hint)workloads: \(manifests.workloads.map(\.name).joined(separator: ", "))")
    }

    // MARK: Groupings

    /// A grouping as (pod name, its (workload, container) members, replicas or nil for every node).
    typealias PodPlan = (name: String, members: [(Int, Int)], replicas: Int?)

    mutating func groupings(talking pairs: [(Int, Int)]) throws(KubernetesError) -> [JSONNode] {
        let workloads = manifests.workloads
        let asDeployed: [PodPlan] = workloads.enumerated().map { w, workload in
            (workload.name, workload.containers.indices.map { (w, $0) }, workload.replicas)
        }
        guard let deployed = place("as-deployed", asDeployed) else {
            throw KubernetesError(
                file: traffic.file, path: "cluster",
                problem:
                    "the workloads as deployed do not fit \(cluster.nodes) node(s) of \(cluster.cores) cores (CPU requests)",
                fix: "give more nodes or cores (cluster: in the traffic file, or --nodes)")
        }
        var result = [deployed]
        if workloads.contains(where: { $0.containers.count > 1 }) {
            let split: [PodPlan] = workloads.enumerated().flatMap { w, workload in
                workload.containers.indices.map { c in
                    (
                        c == 0 ? workload.name : "\(workload.name)-\(workload.containers[c].name)", [(w, c)],
                        workload.replicas
                    )
                }
            }
            if let grouping = place("split-sidecars", split) { result.append(grouping) }
        }
        var merged = Set<[Int]>()
        var mergeGroupings = 0
        var beyondLimit = 0
        for (a, b) in pairs where a != b {
            let pair = (min(a, b), max(a, b))
            guard merged.insert([pair.0, pair.1]).inserted else { continue }
            // Each merge grouping holds every pod: past the limit, more would cost memory and run
            // time quadratic in the application's size.
            guard mergeGroupings < Self.mergeGroupingLimit else {
                beyondLimit += 1
                continue
            }
            mergeGroupings += 1
            let (x, y) = (workloads[pair.0], workloads[pair.1])
            let name = "merge-\(x.name)-\(y.name)"
            guard x.replicas == y.replicas, x.replicas != nil else {
                notes.append("\(name) left out: \(x.name) and \(y.name) run different replica counts")
                continue
            }
            var pods = asDeployed.enumerated().filter { $0.offset != pair.0 && $0.offset != pair.1 }.map(\.element)
            pods.append(
                ("\(x.name)-with-\(y.name)", asDeployed[pair.0].members + asDeployed[pair.1].members, x.replicas))
            if let grouping = place(name, pods) { result.append(grouping) }
        }
        if beyondLimit > 0 {
            notes.append(
                "\(beyondLimit) more merge grouping(s) left out: at most \(Self.mergeGroupingLimit) are written (pairs in the traffic file's order); netlab advise searches them all"
            )
        }
        return result
    }

    /// The most merge groupings an import writes.
    static let mergeGroupingLimit = 24

    /// `pods` placed as the default scheduler would (each replica on the node with the most
    /// cores still free that holds it; DaemonSet pods on every node), or nil with a note.
    mutating func place(_ name: String, _ pods: [PodPlan]) -> JSONNode? {
        var free = Array(repeating: Double(cluster.cores), count: cluster.nodes)
        var written: [JSONNode] = []
        for pod in pods {
            let cpu = pod.members.reduce(0.0) { $0 + manifests.workloads[$1.0].containers[$1.1].cpu }
            var nodes: [Int] = []
            if pod.replicas == nil {
                nodes = Array(0..<cluster.nodes)
            } else {
                for _ in 0..<pod.replicas! {
                    guard
                        let node = free.indices.filter({ free[$0] + 1e-9 >= cpu }).max(by: {
                            (free[$0], -$0) < (free[$1], -$1)
                        })
                    else {
                        notes.append("\(name) left out: pod \(pod.name) (\(cpu) cores) does not fit the nodes")
                        return nil
                    }
                    nodes.append(node)
                    free[node] -= cpu
                }
            }
            for node in nodes where pod.replicas == nil {
                free[node] -= cpu
                if free[node] < -1e-9 {
                    notes.append("\(name) left out: DaemonSet pod \(pod.name) does not fit node-\(node + 1)")
                    return nil
                }
            }
            written.append(
                SpecTree.object([
                    ("name", SpecTree.string(pod.name)),
                    ("containers", SpecTree.array(pod.members.map { SpecTree.string(names[$0.0][$0.1]) })),
                    ("nodes", SpecTree.array(nodes.map { SpecTree.string("node-\($0 + 1)") })),
                ]))
        }
        return SpecTree.object([("name", SpecTree.string(name)), ("pods", SpecTree.array(written))])
    }

    /// The topology as YAML, with a comment header naming the sources.
    public mutating func yaml(sources: [String]) throws(KubernetesError) -> String {
        try Self.yaml(try topology(), sources: sources)
    }

    /// A topology tree as YAML, with a comment header naming the sources.
    public static func yaml(_ root: JSONNode, sources: [String]) throws(KubernetesError) -> String {
        do {
            return "# netlab topology imported from \(sources.joined(separator: ", ")) by netlab import k8s\n"
                + (try SpecTree.yaml(root))
        } catch { throw KubernetesError(writing: error) }
    }

    /// `root` with `groupings` (of `topology`, the tree read) added under `names`; each pod is
    /// named after the workloads of its containers (`frontend-cart`), numbered where two would
    /// share a name.
    public static func appending(
        _ groupings: [Grouping], named names: [String], to root: JSONNode, topology: Topology
    ) -> JSONNode {
        guard case .object(var members) = root.value,
            let slot = members.firstIndex(where: { $0.key == "groupings" }),
            case .array(var list) = members[slot].value.value
        else { return root }
        for (grouping, name) in zip(groupings, names) {
            var taken: Set<String> = []
            let pods = grouping.pods.map { pod in
                var workloads: [String] = []
                for member in pod.containers {
                    let workload = String(topology.containers[member].name.split(separator: ".").first ?? "pod")
                    if !workloads.contains(workload) { workloads.append(workload) }
                }
                let base = workloads.joined(separator: "-")
                var podName = base
                var counter = 2
                while !taken.insert(podName).inserted {
                    podName = "\(base)-\(counter)"
                    counter += 1
                }
                return SpecTree.object([
                    ("name", SpecTree.string(podName)),
                    (
                        "containers",
                        SpecTree.array(pod.containers.map { SpecTree.string(topology.containers[$0].name) })
                    ),
                    (
                        "nodes",
                        SpecTree.array(pod.replicaNodes.map { SpecTree.string(topology.cluster.nodes[$0].name) })
                    ),
                ])
            }
            list.append(SpecTree.object([("name", SpecTree.string(name)), ("pods", SpecTree.array(pods))]))
        }
        members[slot].value = SpecTree.node(.array(list))
        return SpecTree.node(.object(members))
    }
}
