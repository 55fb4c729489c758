import NetLabCore
import NetLabModel

/// A grouping of a topology written as Kubernetes manifests: a Deployment per pod (its
/// containers, replicas and CPU requests), a Service per pod that other pods call, and per
/// container the address of each peer it sends to: `localhost` where the grouping put them in
/// one pod, the peer's Service otherwise (as environment variables; netlab cannot know how the
/// application reads its configuration). Where netlab placed each replica goes in an annotation.
public enum KubernetesExport {
    public static func yaml(_ topology: Topology, grouping index: Int) throws(KubernetesError) -> String {
        let grouping = topology.groupings[index]
        let names = grouping.pods.map { dnsName($0.name) }
        var documents: [JSONNode] = []
        for (podIndex, pod) in grouping.pods.enumerated() {
            let labels = Tree.object([("app.kubernetes.io/name", Tree.string(names[podIndex]))])
            let containerNames = pod.containers.map { containerName(topology.containers[$0].name, pod: pod.name) }
            var containers: [JSONNode] = []
            for (slot, member) in pod.containers.enumerated() {
                let container = topology.containers[member]
                var fields: [(String, JSONNode)] = [
                    ("name", Tree.string(containerNames[slot])),
                    ("image", Tree.string(container.image ?? "REPLACE-ME/\(containerNames[slot])")),
                ]
                if container.cpu > 0 {
                    fields.append(
                        (
                            "resources",
                            Tree.object([
                                (
                                    "requests",
                                    Tree.object([
                                        ("cpu", Tree.string("\(Int(saturating: (container.cpu * 1000).rounded()))m"))
                                    ])
                                )
                            ])
                        ))
                }
                var environment: [JSONNode] = []
                var variables: Set<String> = []
                for flow in topology.flows where flow.from == member && flow.to != member {
                    let peer = grouping.podIndex(of: flow.to)
                    let variable =
                        "NETLAB_PEER_"
                        + String(
                            topology.containers[flow.to].name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
                        )
                    guard variables.insert(variable).inserted else { continue }
                    environment.append(
                        Tree.object([
                            ("name", Tree.string(variable)),
                            ("value", Tree.string(peer == podIndex ? "localhost" : names[peer])),
                        ]))
                }
                if !environment.isEmpty { fields.append(("env", Tree.array(environment))) }
                containers.append(Tree.object(fields))
            }
            let nodes = pod.replicaNodes.map { topology.cluster.nodes[$0].name }.joined(separator: ",")
            documents.append(
                Tree.object([
                    ("apiVersion", Tree.string("apps/v1")), ("kind", Tree.string("Deployment")),
                    (
                        "metadata",
                        Tree.object([
                            ("name", Tree.string(names[podIndex])), ("labels", labels),
                            (
                                "annotations",
                                Tree.object([
                                    ("netlab.io/grouping", Tree.string(grouping.name)),
                                    ("netlab.io/nodes", Tree.string(nodes)),
                                ])
                            ),
                        ])
                    ),
                    (
                        "spec",
                        Tree.object([
                            ("replicas", Tree.integer(pod.replicaNodes.count)),
                            ("selector", Tree.object([("matchLabels", labels)])),
                            (
                                "template",
                                Tree.object([
                                    ("metadata", Tree.object([("labels", labels)])),
                                    ("spec", Tree.object([("containers", Tree.array(containers))])),
                                ])
                            ),
                        ])
                    ),
                ]))
            let called = topology.flows.contains { flow in
                grouping.podIndex(of: flow.to) == podIndex && grouping.podIndex(of: flow.from) != podIndex
            }
            if called {
                documents.append(
                    Tree.object([
                        ("apiVersion", Tree.string("v1")), ("kind", Tree.string("Service")),
                        (
                            "metadata",
                            Tree.object([
                                ("name", Tree.string(names[podIndex])),
                                (
                                    "annotations",
                                    Tree.object([
                                        (
                                            "netlab.io/note",
                                            Tree.string(
                                                "netlab does not know the application's port: set port and targetPort")
                                        )
                                    ])
                                ),
                            ])
                        ),
                        (
                            "spec",
                            Tree.object([
                                ("selector", labels),
                                (
                                    "ports",
                                    Tree.array([
                                        Tree.object([("port", Tree.integer(80)), ("targetPort", Tree.integer(80))])
                                    ])
                                ),
                            ])
                        ),
                    ]))
            }
        }
        var text = "# netlab export k8s: grouping \(grouping.name) of topology \(topology.name)\n"
        for (index, document) in documents.enumerated() {
            text += (index == 0 ? "" : "---\n") + (try Tree.yaml(document))
        }
        return text
    }

    /// A DNS-1123 label: lower case letters, digits and '-', at most 63 characters.
    static func dnsName(_ text: String) -> String {
        var name = String(text.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber ? $0 : "-" })
        while name.hasPrefix("-") { name.removeFirst() }
        while name.hasSuffix("-") { name.removeLast() }
        return String((name.isEmpty ? "pod" : name).prefix(63))
    }

    /// A container's name inside its pod: the topology name without the `workload.` prefix
    /// import adds to names that repeat across workloads.
    static func containerName(_ name: String, pod: String) -> String {
        let short = name.hasPrefix(pod + ".") ? String(name.dropFirst(pod.count + 1)) : name
        return dnsName(short)
    }
}
