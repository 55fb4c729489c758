import Foundation
import NetLabModel
import Testing

@testable import NetLabKubernetes

/// `netlab import k8s` and `netlab export k8s` on the bundled online shop, and their refusals.
@Suite struct KubernetesImportTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/k8s")
    static let manifests = folder.appendingPathComponent("online-boutique.yaml").path
    static let traffic = folder.appendingPathComponent("traffic.yaml").path

    static func importShop() throws -> (Manifests, Topology) {
        let manifests = try Manifests.read([Self.manifests])
        var importer = try KubernetesImport(
            manifests: manifests,
            traffic: try TrafficFile.read(try String(contentsOfFile: traffic, encoding: .utf8), file: traffic),
            cluster: nil)
        let text = try importer.yaml(sources: [Self.manifests])
        return (manifests, try TopologyReader.read(text, file: "imported.yaml"))
    }

    /// Twelve workloads, the frontend's native sidecar as a container, the plain init container
    /// and the ConfigMap skipped and named; as-deployed first, one pod per workload with its
    /// replicas and requests.
    @Test func theShopImports() throws {
        let (manifests, topology) = try Self.importShop()
        #expect(manifests.workloads.count == 12)
        #expect(manifests.services.count == 11)
        #expect(manifests.skipped.contains { $0.hasPrefix("init container wait-for-redis") })
        #expect(manifests.skipped.contains { $0.hasPrefix("ConfigMap shop-settings") })
        #expect(topology.containers.count == 13)
        #expect(topology.groupings[0].name == "as-deployed")
        #expect(topology.groupings.map(\.name).contains("split-sidecars"))
        let deployed = topology.groupings[0]
        #expect(deployed.pods.count == 12)
        let frontend = try #require(deployed.pods.first { $0.name == "frontend" })
        #expect(frontend.replicaNodes.count == 2)
        #expect(frontend.containers.map { topology.containers[$0].name } == ["frontend.server", "log-shipper"])
        let cart = try #require(topology.containers.first { $0.name == "cartservice.server" })
        #expect(cart.cpu == 0.2 && cart.replicas == 2)
        // The Service "productcatalogservice" resolves to the Deployment it selects.
        let catalog = try #require(topology.flows.first { $0.name == "catalog" })
        #expect(topology.containers[catalog.to].name == "productcatalogservice.server")
        // It simulates.
        var short = topology
        short.duration = .milliseconds(450)
        let result = Experiment.run(short, groupings: [0], profile: .linuxDefault, seed: 1)
        #expect(result.groupings[0].flows.allSatisfy { $0.messages > 0 })
    }

    /// Exporting as-deployed gives the workloads back: the same containers per pod, replicas and
    /// CPU requests (native sidecars come back as ordinary containers, which import reads alike).
    @Test func exportOfAsDeployedRoundTrips() throws {
        let (original, topology) = try Self.importShop()
        let yaml = try KubernetesExport.yaml(topology, grouping: 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "netlab-export-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let exported = try Manifests.read([file.path])
        #expect(exported.workloads.count == original.workloads.count)
        for workload in original.workloads {
            let back = try #require(exported.workloads.first { $0.name == workload.name }, "\(workload.name)")
            #expect(back.replicas == workload.replicas)
            #expect(Set(back.containers.map(\.name)) == Set(workload.containers.map(\.name)))
            for container in workload.containers {
                #expect(back.containers.first { $0.name == container.name }?.cpu == container.cpu)
                #expect(back.containers.first { $0.name == container.name }?.image == container.image)
            }
        }
        // Called pods get a Service; intra-pod peers are localhost.
        #expect(exported.services.count == 11)
        #expect(yaml.contains("name: NETLAB_PEER_LOG_SHIPPER\n          value: localhost"))
    }

    /// A merged grouping moves containers between pod templates.
    @Test func exportOfAMergedGroupingMovesContainers() throws {
        let (_, topology) = try Self.importShop()
        let index = try #require(topology.groupings.firstIndex { $0.name == "merge-frontend-cartservice" })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "netlab-merge-\(UUID().uuidString).yaml")
        try (try KubernetesExport.yaml(topology, grouping: index)).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let exported = try Manifests.read([file.path])
        let merged = try #require(exported.workloads.first { $0.name == "frontend-with-cartservice" })
        #expect(merged.containers.count == 3)
        #expect(!exported.workloads.contains { $0.name == "cartservice" })
    }

    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-k8s-\(UUID().uuidString).yaml")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec:
          replicas: 2
          template:
            metadata: { labels: { app: web } }
            spec:
              containers: [ { name: app, resources: { requests: { cpu: 600m } } } ]
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: agent }
        spec:
          template:
            metadata: { labels: { app: agent } }
            spec:
              containers: [ { name: agent, resources: { requests: { cpu: "0.1" } } } ]
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: nobody }
        spec: { selector: { app: ghost } }
        """

    static func importing(_ manifest: String, traffic: String) throws -> String {
        let path = try write(manifest), trafficPath = try write(traffic)
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: trafficPath)
        }
        var importer = try KubernetesImport(
            manifests: try Manifests.read([path]), traffic: try TrafficFile.read(traffic, file: trafficPath),
            cluster: nil)
        return try importer.yaml(sources: [path])
    }

    /// A DaemonSet runs one pod on every node.
    @Test func daemonSetsRunOnEveryNode() throws {
        let text = try Self.importing(
            Self.deployment,
            traffic:
                "cluster: { nodes: 3, cores: 2 }\nflows: [ { from: web, to: agent, pattern: oneway, size: 100B, rate: 10/s } ]"
        )
        let topology = try TopologyReader.read(text, file: "t.yaml")
        let agent = try #require(topology.groupings[0].pods.first { $0.name == "agent" })
        #expect(agent.replicaNodes == [0, 1, 2])
    }

    @Test(arguments: [
        (
            "cluster: { nodes: 2 }\nflows: [ { from: web, to: nobody, pattern: oneway, size: 1B, rate: 1/s } ]",
            "Service \"nobody\""
        ),
        (
            "cluster: { nodes: 2 }\nflows: [ { from: web, to: agnet, pattern: oneway, size: 1B, rate: 1/s } ]",
            "did you mean \"agent\"?"
        ),
        ("flows: []", "no cluster"),
        (
            "cluster: { nodes: 2 }\nflows: [ { from: web/db, to: agent, pattern: oneway, size: 1B, rate: 1/s } ]",
            "workload \"web\" has no container \"db\""
        ),
        (
            "cluster: { nodes: 1, cores: 1 }\nflows: [ { from: web, to: agent, pattern: oneway, size: 1B, rate: 1/s } ]",
            "do not fit"
        ),
        (
            "cluster: { nodes: 2 }\nflows: [ { from: web, to: agent, pattern: oneway, size: 1B, rate: fast } ]",
            "not valid"
        ),
        ("clusters: {}", "unknown key \"clusters\""),
    ])
    func badTrafficIsNamed(traffic: String, mention: String) throws {
        do {
            _ = try Self.importing(Self.deployment, traffic: traffic)
            Issue.record("accepted")
        } catch let error as KubernetesError {
            #expect(error.description.contains(mention), "\(error)")
        }
    }

    /// The bandwidth plugin's pod annotations become token buckets on the pod's containers; a
    /// quantity kubelet would refuse is blamed on the manifest.
    @Test func bandwidthAnnotationsBecomeShapers() throws {
        let manifest = """
            kind: Deployment
            metadata: { name: web }
            spec:
              template:
                metadata:
                  annotations: { kubernetes.io/egress-bandwidth: 10M, kubernetes.io/ingress-bandwidth: "1.5Gi" }
                spec: { containers: [ { name: app }, { name: proxy } ] }
            ---
            kind: Deployment
            metadata: { name: db }
            spec: { template: { spec: { containers: [ { name: app } ] } } }
            """
        let text = try Self.importing(
            manifest,
            traffic:
                "cluster: { nodes: 2 }\nflows: [ { from: web/app, to: db, pattern: oneway, size: 100B, rate: 10/s } ]")
        let topology = try TopologyReader.read(text, file: "t.yaml")
        for name in ["web.app", "proxy"] {
            let container = try #require(
                topology.containers.first { $0.name == name }, "\(topology.containers.map(\.name))")
            #expect(container.bandwidth.egress?.rate.bitsPerSecond == 10_000_000)
            #expect(container.bandwidth.ingress?.rate.bitsPerSecond == 1_610_612_736)
        }
        #expect(topology.containers.first { $0.name == "db.app" }?.bandwidth == BandwidthLimits())
        try Self.expectRefusal(
            of: manifest.replacingOccurrences(of: "egress-bandwidth: 10M", with: "egress-bandwidth: 10X"),
            mentioning:
                "spec.template.metadata.annotations.kubernetes.io/egress-bandwidth: \"10X\" is not a bandwidth kubelet accepts"
        )
        #expect(BandwidthAnnotations.bitsPerSecond("100k") == 100_000)
        #expect(BandwidthAnnotations.bitsPerSecond("2e6") == 2_000_000)
        #expect(BandwidthAnnotations.bitsPerSecond("M") == nil)
    }

    /// A bad workload or container name is blamed on the manifest, at its place (it used to be
    /// blamed on the traffic file, at a path of the imported topology the user never wrote).
    @Test(arguments: [
        (
            "kind: Deployment\nmetadata: { name: \"we b\" }\nspec: { template: { spec: { containers: [ { name: app } ] } } }\n",
            "2:19: document 1: metadata.name: Deployment named \"we b\", not a valid name"
        ),
        (
            "kind: Deployment\nmetadata: { name: web }\nspec: { template: { spec: { containers: [ { name: \"a b\" } ] } } }\n",
            "spec.template.spec.containers[0].name: \"a b\" is not a valid container name"
        ),
        (
            "kind: Pod\nspec: { containers: [ { name: app } ] }\n", "metadata.name: Pod without a name"
        ),
    ])
    func badNamesAreBlamedOnTheManifest(manifest: String, mention: String) throws {
        try Self.expectRefusal(of: manifest, mentioning: mention)
    }

    /// Reading `manifest` fails with one error that starts with its file and says `mention`.
    static func expectRefusal(of manifest: String, mentioning mention: String) throws {
        let path = try write(manifest)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Manifests.read([path])
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix(path), "\(error)")
            #expect(error.description.contains(mention), "\(error)")
        }
    }

    /// Files that are not Kubernetes manifests say so, with the document's place.
    @Test func notKubernetesIsRefused() throws {
        let path = try Self.write(
            "apiVersion: v1\nkind: Service\nmetadata: { name: a }\n---\nname: topology\ncluster: {}\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Manifests.read([path])
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("document 2: kind: no \"kind\""), "\(error)")
        }
    }

    /// A malformed document after good ones is an error, not the end of the file.
    @Test func aMalformedLaterDocumentIsNotDropped() throws {
        let path = try Self.write("kind: Service\nmetadata: { name: a }\n---\nkind: [unclosed\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Manifests.read([path])
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(":5:1: malformed YAML"), "\(error)")
        }
    }

    /// Groupings found elsewhere (the advisor's) are added to the imported tree and read back.
    @Test func groupingsAreAppendedToTheImport() throws {
        let manifests = try Manifests.read([Self.manifests])
        var importer = try KubernetesImport(
            manifests: manifests,
            traffic: try TrafficFile.read(
                try String(contentsOfFile: Self.traffic, encoding: .utf8), file: Self.traffic),
            cluster: nil)
        let root = try importer.topology()
        let topology = try TopologyReader.read(document: root, file: "t.yaml")
        let split = try #require(topology.groupings.first { $0.name == "split-sidecars" })
        let appended = KubernetesImport.appending([split], named: ["again"], to: root, topology: topology)
        let back = try TopologyReader.read(try KubernetesImport.yaml(appended, sources: []), file: "t.yaml")
        #expect(back.groupings.count == topology.groupings.count + 1)
        let added = try #require(back.groupings.last)
        #expect(added.name == "again" && added.pods.map(\.containers) == split.pods.map(\.containers))
        #expect(added.pods.map(\.replicaNodes) == split.pods.map(\.replicaNodes))
        // Pods are named after their workloads, each name once.
        #expect(added.pods.first?.name == "frontend")
        #expect(Set(added.pods.map(\.name)).count == added.pods.count)
    }
}
