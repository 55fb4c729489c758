import NetLabModel
import NetLabSpec

/// What manifests do not say and a traffic file does: the cluster (node count, cores, NIC,
/// fabric, overlay), the run (duration, warm-up, seed, profile) and the flows, keyed by workload,
/// `workload/container` or Service names. Flow fields other than `from` and `to` are the
/// topology's (docs/topology.md) and pass through unchanged.
public struct TrafficFile: Sendable {
    /// Where it was read, for errors.
    public var file: String
    /// The whole document, for the fields passed through to the topology.
    public var root: JSONNode
    /// The flows as written, `from` and `to` naming workloads, containers or Services.
    public var flows: [JSONNode]

    /// Reads a traffic file (YAML or JSON): one mapping with `flows` and any of `name`, `cluster`,
    /// `duration`, `warmup`, `seed`, `profile`, `same_host` and `separate`; an unknown key is
    /// refused, naming the allowed ones.
    public static func read(_ text: String, file: String) throws(KubernetesError) -> TrafficFile {
        let documents: [(index: Int, root: JSONNode)]
        do { documents = try YAMLDocument.parseAll(text, file: file) } catch { throw KubernetesError(error) }
        guard let root = documents.first?.root, case .object(let members) = root.value else {
            throw KubernetesError(
                file: file, path: "", problem: "not a traffic file (a mapping with cluster and flows)",
                fix: "see docs/scale-out.md#traffic-files")
        }
        let known = ["name", "duration", "warmup", "seed", "profile", "cluster", "flows", "same_host", "separate"]
        if let unknown = members.first(where: { !known.contains($0.key) }) {
            throw KubernetesError(
                file: file, node: unknown.value, path: unknown.key, problem: "unknown key \"\(unknown.key)\"",
                fix: "allowed here: \(known.joined(separator: ", "))")
        }
        var flows: [JSONNode] = []
        if let list = members.first(where: { $0.key == "flows" })?.value {
            guard case .array(let items) = list.value else {
                throw KubernetesError(
                    file: file, node: list, path: "flows", problem: "not a list", fix: "list the flows")
            }
            flows = items
        }
        return TrafficFile(file: file, root: root, flows: flows)
    }

    func member(_ key: String) -> JSONNode? {
        guard case .object(let members) = root.value else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// The cluster an import places workloads on: identical nodes.
public struct ClusterShape: Sendable {
    /// How many nodes.
    public var nodes: Int
    /// Cores per node.
    public var cores: Int
    /// Each node's NIC rate, as written (`10Gbps`).
    public var nic: String
    /// The traffic file's `fabric`, `overlay` and `mtu`, passed through.
    var extra: [(String, JSONNode)] = []

    /// `nodes` nodes of `cores` cores with a `nic` NIC each.
    public init(nodes: Int, cores: Int, nic: String = "10Gbps") {
        self.nodes = nodes
        self.cores = cores
        self.nic = nic
    }

    /// `N` or `NxCORES` (`3x8`: three nodes of eight cores).
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x")
        guard (1...2).contains(parts.count), let nodes = Int(parts[0]), (1...1000).contains(nodes) else { return nil }
        let cores = parts.count == 2 ? Int(parts[1]) : 8
        guard let cores, (1...1024).contains(cores) else { return nil }
        self.init(nodes: nodes, cores: cores)
    }

    /// The traffic file's `cluster:` block: `nodes` (a count), `cores`, `nic` (a rate), and
    /// `fabric`, `overlay`, `mtu` as a topology writes them.
    static func read(_ node: JSONNode, file: String) throws(KubernetesError) -> ClusterShape {
        guard case .object(let members) = node.value else {
            throw KubernetesError(
                file: file, node: node, path: "cluster", problem: "not a mapping",
                fix: "write cluster: {nodes: 3, cores: 8, nic: 10Gbps}")
        }
        var shape = ClusterShape(nodes: 1, cores: 8)
        for (key, value) in members {
            let path = "cluster.\(key)"
            switch (key, value.value) {
            case ("nodes", .number(let text)):
                guard let count = Int(text), (1...1000).contains(count) else {
                    throw KubernetesError(
                        file: file, node: value, path: path, problem: "\(text) nodes", fix: "give 1 to 1000")
                }
                shape.nodes = count
            case ("cores", .number(let text)):
                guard let count = Int(text), (1...1024).contains(count) else {
                    throw KubernetesError(
                        file: file, node: value, path: path, problem: "\(text) cores", fix: "give 1 to 1024")
                }
                shape.cores = count
            case ("nic", .string(let rate)): shape.nic = rate
            case ("fabric", _), ("overlay", _), ("mtu", _): shape.extra.append((key, value))
            default:
                throw KubernetesError(
                    file: file, node: value, path: path, problem: "unexpected \"\(key)\" here",
                    fix: "cluster takes nodes (a count), cores (a count), nic (a rate), fabric, overlay, mtu")
            }
        }
        return shape
    }
}
