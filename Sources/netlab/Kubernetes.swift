import ArgumentParser
import Foundation
import NetLabAdvisor
import NetLabKubernetes
import NetLabModel
import NetLabSpec

/// `netlab import`: topologies from what users already have.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a topology from other descriptions of an application (Kubernetes manifests).",
        subcommands: [ImportKubernetes.self])
}

/// `netlab export`: a grouping written back as what users deploy.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a grouping of a topology as deployable descriptions (Kubernetes manifests).",
        subcommands: [ExportKubernetes.self])
}

/// `netlab import k8s`: a topology from Kubernetes manifests (the containers, their CPU requests,
/// replicas and ports, and each workload as a pod) and a traffic file (the flows, which manifests
/// do not describe), with the manifests' own grouping and, on request, the advisor's best ones
/// added beside it.
struct ImportKubernetes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8s",
        abstract: "Read Kubernetes manifests and a traffic file into a topology.",
        discussion: """
            Reads Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and Services from \
            files or folders (multi-document YAML); other kinds and plain init containers are listed \
            and skipped, native sidecars (initContainers with restartPolicy: Always) are containers. \
            Each container keeps its CPU request and its workload's replicas. Manifests do not say \
            what nodes there are or who calls whom: the traffic file does (cluster: and flows:, with \
            from/to naming workloads, workload/container or Services), see docs/scale-out.md.

            The topology's groupings: as-deployed (each workload's pod as written, placed as the \
            default scheduler would), split-sidecars (every container in a pod of its own), and \
            merge-A-B for each pair of workloads that talk and run as many replicas.

            Example:
              netlab import k8s Examples/k8s/online-boutique.yaml --traffic Examples/k8s/traffic.yaml --output boutique.yaml
            """)

    @Argument(help: "Manifest files or folders (.yaml, .yml, .json).")
    var manifests: [String] = []

    @Option(help: "The traffic file: cluster, flows (and duration, seed, profile).")
    var traffic: String

    @Option(
        help: ArgumentHelp(
            "Nodes of the cluster, N or NxCORES (e.g. 3x8); overrides the traffic file's cluster.",
            valueName: "n[xcores]"))
    var nodes: String?

    @Option(
        help: ArgumentHelp(
            "Also add the N best groupings netlab advise finds (raced with 3 replications each; takes a while).",
            valueName: "n"))
    var advise: Int = 0

    @Option(name: .customLong("output"), help: "Write the topology to this file instead of standard output.")
    var file: String?

    func run() throws {
        guard (0...20).contains(advise) else {
            throw InputError(
                source: "--advise", location: nil, problem: "\(advise) is out of range", fix: "give 0 to 20")
        }
        guard !manifests.isEmpty else {
            throw InputError(
                source: "netlab import k8s", location: nil, problem: "no manifests",
                fix: "name manifest files or folders")
        }
        let shape = try nodes.map { text -> ClusterShape in
            guard let shape = ClusterShape(parsing: text) else {
                throw InputError(
                    source: "--nodes", location: nil, problem: "\"\(text)\" is not N or NxCORES", fix: "write e.g. 3x8")
            }
            return shape
        }
        let read = try Manifests.read(manifests)
        var importer = try KubernetesImport(
            manifests: read, traffic: try TrafficFile.read(try readInput(traffic), file: traffic), cluster: shape)
        var root = try importer.topology()
        if advise > 0 { root = try adding(advised: advise, to: root) }
        let yaml = try KubernetesImport.yaml(root, sources: manifests + [traffic])
        var standardError = StandardError()
        for skipped in read.skipped { print("netlab: note: skipped \(skipped)", to: &standardError) }
        for note in importer.notes { print("netlab: note: \(note)", to: &standardError) }
        try writeOutput(yaml, to: file)
    }
}

extension ImportKubernetes {
    /// The topology with the advisor's `count` best groupings that it does not already hold,
    /// named `advised-1`, `advised-2`, ...
    func adding(advised count: Int, to root: JSONNode) throws -> JSONNode {
        let topology = try TopologyReader.read(document: root, file: traffic)
        var settings = AdviceSettings(seed: topology.seed)
        settings.race.finalReplications = 3
        let progress = ProgressLine(label: "import k8s: advise")
        let advice = Advisor.advise(
            topology, profile: try resolveProfile(nil, for: topology, topologyPath: traffic),
            settings: settings
        ) { done, _, alive in progress.update("\(done) runs, \(alive) candidates in the race") }
        progress.finish()
        let picked = advice.bestNewGroupings(count)
        return KubernetesImport.appending(
            picked, named: picked.indices.map { "advised-\($0 + 1)" }, to: root, topology: topology)
    }
}

/// `netlab export k8s`: one grouping of a topology as manifests a user can apply, with the
/// simulated placement kept through node labels and what Kubernetes cannot keep exactly said in
/// comments and annotations.
struct ExportKubernetes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8s",
        abstract: "Write a grouping as Kubernetes manifests: a Deployment per pod, a Service per pod that is called.",
        discussion: """
            Containers move between pod templates as the grouping says; replicas, ports and CPU \
            requests come along. Each container gets NETLAB_PEER_<NAME> environment variables with \
            the address of every container it sends to: localhost inside its pod, the peer's \
            Service otherwise. Each Deployment requires the nodes netlab placed its replicas on, \
            through the node label netlab.io/node=<simulated node> (label your real nodes with \
            kubectl label node), and spreads its replicas over them; what Kubernetes cannot \
            express is noted. Names are made valid for Kubernetes (docs/scale-out.md, "Back to \
            manifests").

            Example:
              netlab export k8s Examples/web-log-sidecar.json --grouping sidecar-in-pod --output sidecar.yaml
            """)

    @Argument(help: "The topology file.")
    var topology: String

    @Option(help: "The grouping to write.")
    var grouping: String

    @Option(name: .customLong("output"), help: "Write the manifests to this file instead of standard output.")
    var file: String?

    func run() throws {
        let (spec, _) = try loadTopology(topology, duration: nil)
        let index = try groupingIndices([grouping], in: spec, topologyPath: topology)[0]
        try writeOutput(try KubernetesExport.yaml(spec, grouping: index), to: file)
        var standardError = StandardError()
        for note in KubernetesExport.notes(spec, grouping: index) {
            print("netlab: note: \(note)", to: &standardError)
        }
    }
}
