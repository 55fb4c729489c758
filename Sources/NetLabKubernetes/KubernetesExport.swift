import NetLabCore
import NetLabModel
import NetLabSpec

/// A grouping of a topology written as Kubernetes manifests: a Deployment per pod (its
/// containers, ports, replicas and CPU requests, and the nodes netlab placed its replicas on), a
/// Service per pod that other pods call, and per container the address of each peer it sends to:
/// `localhost` where the grouping put them in one pod, the peer's Service otherwise (as
/// environment variables; netlab cannot know how the application reads its configuration).
///
/// Placement is kept through a node label: each simulated node is `netlab.io/node=<name>`, which
/// the user puts on the real nodes (`kubectl label node`); a Deployment requires those nodes
/// (node affinity) and, when its replicas were spread, spreads them evenly over them (a
/// topology spread constraint). What Kubernetes cannot express (unequal replica counts per
/// node) is said in a `netlab.io/placement-note` annotation and in ``notes(_:grouping:)``.
public enum KubernetesExport {
    /// The label key that names a simulated node on the real node that stands for it.
    public static let nodeLabel = "netlab.io/node"

    /// The manifests of grouping `index` as one YAML stream (documents separated by `---`): per pod a
    /// Deployment and a Service, names made valid and unique as the API server requires. Fails
    /// only if the YAML emitter does (never an empty document passed off as the result).
    public static func yaml(_ topology: Topology, grouping index: Int) throws(KubernetesError) -> String {
        let grouping = topology.groupings[index]
        let names = KubernetesNames.uniqueLabels(grouping.pods.map(\.name))
        // Each container's flows and the pods called from another pod, in one pass over the flows:
        // a cluster has a hundred thousand of them, and a pass per container took minutes.
        var flowsFrom = Array(repeating: [Int](), count: topology.containers.count)
        var calledPods = Set<Int>()
        for (flowIndex, flow) in topology.flows.enumerated() {
            flowsFrom[flow.from].append(flowIndex)
            let target = grouping.podIndex(of: flow.to)
            if target != grouping.podIndex(of: flow.from) { calledPods.insert(target) }
        }
        var documents: [JSONNode] = []
        for (podIndex, pod) in grouping.pods.enumerated() {
            let labels = SpecTree.object([("app.kubernetes.io/name", SpecTree.string(names[podIndex]))])
            let containers = pod.containers.map { topology.containers[$0] }
            let containerNames = KubernetesNames.uniqueLabels(containers.map { shortName($0.name, pod: pod.name) })
            var written: [JSONNode] = []
            for (slot, member) in pod.containers.enumerated() {
                written.append(
                    container(
                        topology, member: member, flows: flowsFrom[member], name: containerNames[slot],
                        grouping: grouping, podIndex: podIndex, podNames: names))
            }
            var annotations: [(String, JSONNode)] = [
                ("netlab.io/grouping", SpecTree.string(grouping.name)),
                (
                    "netlab.io/nodes",
                    SpecTree.string(pod.replicaNodes.map { topology.cluster.nodes[$0].name }.joined(separator: ","))
                ),
            ]
            if let note = placementNote(topology, pod: pod) {
                annotations.append(("netlab.io/placement-note", SpecTree.string(note)))
            }
            documents.append(
                SpecTree.object([
                    ("apiVersion", SpecTree.string("apps/v1")), ("kind", SpecTree.string("Deployment")),
                    (
                        "metadata",
                        SpecTree.object([
                            ("name", SpecTree.string(names[podIndex])), ("labels", labels),
                            ("annotations", SpecTree.object(annotations)),
                        ])
                    ),
                    (
                        "spec",
                        SpecTree.object([
                            ("replicas", SpecTree.integer(pod.replicaNodes.count)),
                            ("selector", SpecTree.object([("matchLabels", labels)])),
                            (
                                "template",
                                SpecTree.object([
                                    (
                                        "metadata",
                                        SpecTree.object(
                                            [("labels", labels)] + bandwidthAnnotations(topology, pod: pod))
                                    ),
                                    (
                                        "spec",
                                        SpecTree.object(
                                            [("containers", SpecTree.array(written))]
                                                + placement(topology, pod: pod, labels: labels))
                                    ),
                                ])
                            ),
                        ])
                    ),
                ]))
            if calledPods.contains(podIndex) {
                documents.append(service(named: names[podIndex], labels: labels, containers: containers))
            }
        }
        var text = "# netlab export k8s: grouping \(grouping.name) of topology \(topology.name)\n"
        text += "# Placement: label each real node with the simulated node it stands for, e.g.\n"
        let example = topology.cluster.nodes.first.map { KubernetesNames.label($0.name) } ?? "node-1"
        text += "#   kubectl label node <real-node> \(nodeLabel)=\(example)\n"
        for note in nodeShaperNotes(topology, grouping: index) {
            text += "# Shaping: \(note.escapingControlCharacters)\n"
        }
        do {
            for (index, document) in documents.enumerated() {
                text += (index == 0 ? "" : "---\n") + (try SpecTree.yaml(document))
            }
        } catch { throw KubernetesError(writing: error) }
        return text
    }

    /// What of `grouping`'s placement Kubernetes cannot keep exactly, one line per pod, and the
    /// NIC shapers of the nodes it uses, which no Kubernetes object carries.
    public static func notes(_ topology: Topology, grouping index: Int) -> [String] {
        let grouping = topology.groupings[index]
        let names = KubernetesNames.uniqueLabels(grouping.pods.map(\.name))
        return zip(grouping.pods, names).flatMap { pod, name in
            [placementNote(topology, pod: pod), bandwidthNote(topology, pod: pod)].compactMap { note in
                note.map { "Deployment \(name): \($0)" }
            }
        } + nodeShaperNotes(topology, grouping: index)
    }

    /// The bandwidth CNI plugin's annotations for `pod`'s shapers (the slowest of its containers'
    /// limits each way, as the simulation takes them), in bits per second; none if unlimited.
    static func bandwidthAnnotations(_ topology: Topology, pod: Pod) -> [(String, JSONNode)] {
        let limits = BandwidthLimits.ofPod(pod.containers.map { topology.containers[$0].bandwidth })
        let annotations = [
            (BandwidthAnnotations.keys.ingress, limits.ingress), (BandwidthAnnotations.keys.egress, limits.egress),
        ].compactMap { key, bucket in bucket.map { (key, SpecTree.string("\($0.rate.bitsPerSecond)")) } }
        return annotations.isEmpty ? [] : [("annotations", SpecTree.object(annotations))]
    }

    /// For `pod`'s shapers: the burst and limit simulated, which the annotations cannot carry.
    static func bandwidthNote(_ topology: Topology, pod: Pod) -> String? {
        let limits = BandwidthLimits.ofPod(pod.containers.map { topology.containers[$0].bandwidth })
        let shapers = [("ingress", limits.ingress), ("egress", limits.egress)].compactMap { direction, bucket in
            bucket.map { "\(direction) burst \($0.burst), limit \($0.limit)" }
        }
        guard !shapers.isEmpty else { return nil }
        return "its bandwidth annotations carry the rate only; the simulated "
            + shapers.joined(separator: " and ")
            + " are the bandwidth CNI plugin's to set (its burst and limit configuration)"
    }

    /// For each node of the grouping whose NIC is shaped (`"shaping"` on its `"nic"`): that
    /// Kubernetes has no field for it, and the `tc` command that sets it on the real node.
    static func nodeShaperNotes(_ topology: Topology, grouping index: Int) -> [String] {
        let used = Set(topology.groupings[index].pods.flatMap(\.replicaNodes))
        return topology.cluster.nodes.indices.filter(used.contains).compactMap { node in
            guard let shaper = topology.cluster.nodes[node].nicShaping else { return nil }
            let name = topology.cluster.nodes[node].name
            return
                "node \(name) shapes its NIC's egress (\(shaper.rate), burst \(shaper.burst), limit \(shaper.limit)), "
                + "which no Kubernetes object carries; on the real node: tc qdisc replace dev <nic> root tbf "
                + "rate \(shaper.rate.bitsPerSecond)bit burst \(shaper.burst.bytes) limit \(shaper.limit.bytes)"
        }
    }

    /// Where the export puts `container` of `topology`'s grouping, as a traffic file names it
    /// (`deployment/container`), so flows can be re-read against the exported manifests.
    public static func address(ofContainer container: Int, in topology: Topology, grouping index: Int) -> String {
        let grouping = topology.groupings[index]
        let podIndex = grouping.podIndex(of: container)
        let pod = grouping.pods[podIndex]
        let deployment = KubernetesNames.uniqueLabels(grouping.pods.map(\.name))[podIndex]
        let names = KubernetesNames.uniqueLabels(
            pod.containers.map { shortName(topology.containers[$0].name, pod: pod.name) })
        return deployment + "/" + names[pod.containers.firstIndex(of: container) ?? 0]
    }

    /// One container: name, image, ports, CPU request and the addresses of its peers (`flows`: the
    /// indices of the flows it sends).
    static func container(
        _ topology: Topology, member: Int, flows: [Int], name: String, grouping: Grouping, podIndex: Int,
        podNames: [String]
    ) -> JSONNode {
        let container = topology.containers[member]
        var fields: [(String, JSONNode)] = [
            ("name", SpecTree.string(name)),
            ("image", SpecTree.string(container.image ?? "REPLACE-ME/\(name)")),
        ]
        if !container.ports.isEmpty {
            fields.append(
                (
                    "ports",
                    SpecTree.array(
                        container.ports.map { SpecTree.object([("containerPort", SpecTree.integer($0.number))]) })
                )
            )
        }
        if container.cpu > 0 {
            let millicores = Int(saturating: (container.cpu * 1000).rounded())
            fields.append(
                (
                    "resources",
                    SpecTree.object([("requests", SpecTree.object([("cpu", SpecTree.string("\(millicores)m"))]))])
                ))
        }
        var environment: [JSONNode] = []
        var variables: Set<String> = []
        for flow in flows.lazy.map({ topology.flows[$0] }) where flow.to != member {
            let peer = grouping.podIndex(of: flow.to)
            var variable = "NETLAB_PEER_" + KubernetesNames.environmentVariable(topology.containers[flow.to].name)
            if variables.contains(variable) {
                // Two peers whose names differ only in what a variable name cannot hold.
                variable += "_" + KubernetesNames.shortHash(topology.containers[flow.to].name).uppercased()
            }
            guard variables.insert(variable).inserted else { continue }
            environment.append(
                SpecTree.object([
                    ("name", SpecTree.string(variable)),
                    ("value", SpecTree.string(peer == podIndex ? "localhost" : podNames[peer])),
                ]))
        }
        if !environment.isEmpty { fields.append(("env", SpecTree.array(environment))) }
        return SpecTree.object(fields)
    }

    /// The Service in front of a pod: each port its containers listen on, offered as the
    /// Service port the topology kept (the same number when it kept none).
    static func service(named name: String, labels: JSONNode, containers: [Container]) -> JSONNode {
        var ports: [JSONNode] = []
        var offered: Set<Int> = []
        for port in containers.flatMap(\.ports) {
            let number = port.servicePort ?? port.number
            guard offered.insert(number).inserted else { continue }
            ports.append(
                SpecTree.object([
                    ("name", SpecTree.string("p\(number)")), ("port", SpecTree.integer(number)),
                    ("targetPort", SpecTree.integer(port.number)),
                ]))
        }
        var metadata: [(String, JSONNode)] = [("name", SpecTree.string(name))]
        if ports.isEmpty {
            ports = [SpecTree.object([("port", SpecTree.integer(80)), ("targetPort", SpecTree.integer(80))])]
            metadata.append(
                (
                    "annotations",
                    SpecTree.object([
                        (
                            "netlab.io/note",
                            SpecTree.string("the topology names no port for these containers: set port and targetPort")
                        )
                    ])
                ))
        }
        return SpecTree.object([
            ("apiVersion", SpecTree.string("v1")), ("kind", SpecTree.string("Service")),
            ("metadata", SpecTree.object(metadata)),
            ("spec", SpecTree.object([("selector", labels), ("ports", SpecTree.array(ports))])),
        ])
    }

    /// Where the pod's replicas may run (the labelled nodes netlab put them on) and, when they
    /// were spread over several, an even spread over those.
    static func placement(_ topology: Topology, pod: Pod, labels: JSONNode) -> [(String, JSONNode)] {
        let nodes = distinctNodes(pod).map { KubernetesNames.label(topology.cluster.nodes[$0].name) }
        guard !nodes.isEmpty else { return [] }
        let affinity = SpecTree.object([
            (
                "nodeAffinity",
                SpecTree.object([
                    (
                        "requiredDuringSchedulingIgnoredDuringExecution",
                        SpecTree.object([
                            (
                                "nodeSelectorTerms",
                                SpecTree.array([
                                    SpecTree.object([
                                        (
                                            "matchExpressions",
                                            SpecTree.array([
                                                SpecTree.object([
                                                    ("key", SpecTree.string(nodeLabel)),
                                                    ("operator", SpecTree.string("In")),
                                                    ("values", SpecTree.array(nodes.map(SpecTree.string))),
                                                ])
                                            ])
                                        )
                                    ])
                                ])
                            )
                        ])
                    )
                ])
            )
        ])
        var fields: [(String, JSONNode)] = [("affinity", affinity)]
        if nodes.count > 1 {
            fields.append(
                (
                    "topologySpreadConstraints",
                    SpecTree.array([
                        SpecTree.object([
                            ("maxSkew", SpecTree.integer(1)), ("topologyKey", SpecTree.string(nodeLabel)),
                            ("whenUnsatisfiable", SpecTree.string("DoNotSchedule")),
                            ("labelSelector", SpecTree.object([("matchLabels", labels)])),
                        ])
                    ])
                ))
        }
        return fields
    }

    /// What Kubernetes cannot keep of the pod's placement: an even spread is all a Deployment
    /// can ask for, so unequal replica counts per node come out within one of each other.
    static func placementNote(_ topology: Topology, pod: Pod) -> String? {
        let nodes = distinctNodes(pod)
        let counts = nodes.map { node in pod.replicaNodes.filter { $0 == node }.count }
        guard nodes.count > 1, Set(counts).count > 1 else { return nil }
        let simulated = zip(nodes, counts).map { "\($1) on \(topology.cluster.nodes[$0].name)" }
        return
            "simulated \(simulated.joined(separator: ", ")); Kubernetes keeps the replicas on these nodes, spread evenly (within one), not these exact counts"
    }

    /// The nodes of a pod's replicas, each once, in order of first use.
    static func distinctNodes(_ pod: Pod) -> [Int] {
        var seen: Set<Int> = []
        return pod.replicaNodes.filter { seen.insert($0).inserted }
    }

    /// A container's name inside its pod: the topology name without the `workload.` prefix
    /// import adds to names that repeat across workloads.
    static func shortName(_ name: String, pod: String) -> String {
        name.hasPrefix(pod + ".") ? String(name.dropFirst(pod.count + 1)) : name
    }
}
