import Foundation
import NetLabModel
import NetLabSpec
import Testing
import Yams

@testable import NetLabKubernetes

/// `netlab export k8s` writes what the API server accepts and what keeps the simulated grouping:
/// valid names whatever the topology called things, placement through node labels, ports.
@Suite struct KubernetesExportTests {
    /// Names a careless or hostile user might give: numbers in YAML 1.1's eyes, other scripts,
    /// digits first, 200 characters, and names that come out the same once made valid.
    static let hostileNames = [
        ".inf", "1_000", "0b101", "web½", "٣٤", "café", "9lives", "yes", String(repeating: "long", count: 50),
        "a-b", "a_b", "A.B",
    ]

    static func hostileTopology() throws -> Topology {
        let containers = hostileNames.map { "{ \"name\": \"\($0)\", \"ports\": [8080] }" }.joined(separator: ", ")
        let flows = hostileNames.dropFirst().map { name in
            "{ \"from\": \".inf\", \"to\": \"\(name)\", \"pattern\": \"oneway\", \"size\": \"100B\", \"rate\": \"10/s\" }"
        }.joined(separator: ", ")
        let pods = hostileNames.enumerated().map { index, name in
            "{ \"name\": \"\(name)\", \"containers\": [\"\(name)\"], \"node\": \"Node_\(index % 2)\" }"
        }.joined(separator: ", ")
        // One pod holding two containers whose names collide once made valid.
        let shared = #"{ "name": "shared", "containers": ["a-b", "a_b"], "node": "Node_0" }"#
        let rest = hostileNames.enumerated().filter { !["a-b", "a_b"].contains($0.element) }.map { index, name in
            "{ \"name\": \"\(name)\", \"containers\": [\"\(name)\"], \"node\": \"Node_\(index % 2)\" }"
        }.joined(separator: ", ")
        return try TopologyReader.read(
            """
            { "name": "hostile", "duration": "10ms",
              "cluster": { "nodes": [ { "name": "Node_0", "cores": 64 }, { "name": "Node_1", "cores": 64 } ] },
              "containers": [ \(containers) ], "flows": [ \(flows) ],
              "groupings": [ { "name": "apart", "pods": [ \(pods) ] },
                             { "name": "together", "pods": [ \(shared), \(rest) ] } ] }
            """, file: "hostile.json")
    }

    /// Every object the export writes, parsed back as plain YAML (1.1 rules included: Yams
    /// reads `yes` and `1_000` as a bool and a number when unquoted).
    static func objects(_ yaml: String) throws -> [[String: Any]] {
        try Yams.load_all(yaml: yaml).compactMap { $0 as? [String: Any] }
    }

    static func isCIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first,
            first == "_" || ("A"..."Z").contains(first) || ("a"..."z").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }
    }

    /// The API server's rules for every name the export writes: Deployment and Service names
    /// DNS-1035 labels (so a Service accepts them too), unique per kind; container names labels,
    /// unique per pod; environment variables C identifiers; every name a string after parsing.
    @Test(arguments: [0, 1])
    func everyNameIsOneTheAPIServerAccepts(grouping: Int) throws {
        let topology = try Self.hostileTopology()
        let yaml = try KubernetesExport.yaml(topology, grouping: grouping)
        var seen: [String: Set<String>] = [:]
        for object in try Self.objects(yaml) {
            let kind = try #require(object["kind"] as? String)
            let metadata = try #require(object["metadata"] as? [String: Any])
            let name = try #require(metadata["name"] as? String, "a name that parses as a string: \(metadata)")
            #expect(KubernetesNames.isLabel(name), "\(kind) \(name)")
            #expect(seen[kind, default: []].insert(name).inserted, "\(kind) \(name) twice")
            guard kind == "Deployment" else { continue }
            let spec = try #require(object["spec"] as? [String: Any])
            let template = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
            let containers = try #require(template["containers"] as? [[String: Any]])
            let names = containers.compactMap { $0["name"] as? String }
            #expect(names.count == containers.count && Set(names).count == names.count, "\(names)")
            #expect(names.allSatisfy(KubernetesNames.isLabel), "\(names)")
            for container in containers {
                for variable in container["env"] as? [[String: Any]] ?? [] {
                    let variableName = try #require(variable["name"] as? String)
                    #expect(Self.isCIdentifier(variableName), "\(variableName)")
                    #expect(variable["value"] is String)
                }
            }
        }
        #expect(seen["Deployment"]?.count == topology.groupings[grouping].pods.count)
    }

    @Test func labelsAreMadeAsTheRulesSay() {
        #expect(KubernetesNames.label("Web Server") == "web-server")
        #expect(KubernetesNames.label("9lives") == "n-9lives")
        #expect(KubernetesNames.label("--") == "n")
        #expect(KubernetesNames.label("café") == "caf")
        let long = KubernetesNames.label(String(repeating: "ab-", count: 100))
        #expect(long.count <= 63 && KubernetesNames.isLabel(long), "\(long)")
        #expect(KubernetesNames.uniqueLabels(["a-b", "a_b", "A B"]).count == 3)
        #expect(Set(KubernetesNames.uniqueLabels(["a-b", "a_b", "A B"])).count == 3)
        #expect(KubernetesNames.environmentVariable("café") == "CAF_")
        #expect(KubernetesNames.environmentVariable("3d") == "_3D")
    }

    /// A Deployment requires the labelled nodes netlab placed its replicas on and spreads its
    /// replicas evenly over them; where the simulated counts were unequal it says so.
    @Test func placementIsKeptThroughNodeLabels() throws {
        let text = """
            { "name": "spread", "duration": "10ms",
              "cluster": { "nodes": [ { "name": "node-a", "cores": 8 }, { "name": "node-b", "cores": 8 },
                                      { "name": "node-c", "cores": 8 } ] },
              "containers": [ { "name": "web", "ports": [8080] }, { "name": "db", "ports": [5432] },
                              { "name": "cache" } ],
              "flows": [ { "from": "web", "to": "db", "pattern": "oneway", "size": "100B", "rate": "10/s" } ],
              "groupings": [ { "name": "g", "pods": [
                  { "containers": ["web"], "nodes": ["node-a", "node-b"] },
                  { "containers": ["db"], "node": "node-c" },
                  { "containers": ["cache"], "nodes": ["node-a", "node-a", "node-b"] } ] } ] }
            """
        let topology = try TopologyReader.read(text, file: "spread.json")
        let objects = try Self.objects(try KubernetesExport.yaml(topology, grouping: 0))
        func template(_ name: String) throws -> [String: Any] {
            let deployment = try #require(
                objects.first {
                    $0["kind"] as? String == "Deployment"
                        && ($0["metadata"] as? [String: Any])?["name"] as? String == name
                })
            return try #require(
                ((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        }
        func nodes(_ spec: [String: Any]) -> [String] {
            let affinity = (spec["affinity"] as? [String: Any])?["nodeAffinity"] as? [String: Any]
            let required = affinity?["requiredDuringSchedulingIgnoredDuringExecution"] as? [String: Any]
            let term = (required?["nodeSelectorTerms"] as? [[String: Any]])?.first
            let expression = (term?["matchExpressions"] as? [[String: Any]])?.first
            #expect(expression?["key"] as? String == KubernetesExport.nodeLabel)
            #expect(expression?["operator"] as? String == "In")
            return expression?["values"] as? [String] ?? []
        }
        let web = try template("web")
        #expect(nodes(web) == ["node-a", "node-b"])
        let spread = try #require((web["topologySpreadConstraints"] as? [[String: Any]])?.first)
        #expect(spread["maxSkew"] as? Int == 1 && spread["topologyKey"] as? String == KubernetesExport.nodeLabel)
        #expect(spread["whenUnsatisfiable"] as? String == "DoNotSchedule")
        let db = try template("db")
        #expect(nodes(db) == ["node-c"] && db["topologySpreadConstraints"] == nil)
        // Two replicas on node-a and one on node-b: a Deployment cannot ask for that exactly.
        let notes = KubernetesExport.notes(topology, grouping: 0)
        #expect(notes.count == 1 && notes[0].contains("cache") && notes[0].contains("2 on node-a"), "\(notes)")
        // Ports: the container's, and the Service offers them.
        let service = try #require(objects.first { $0["kind"] as? String == "Service" })
        let ports = try #require((service["spec"] as? [String: Any])?["ports"] as? [[String: Any]])
        #expect(ports.first?["port"] as? Int == 5432 && ports.first?["targetPort"] as? Int == 5432)
    }

    /// A node's NIC shaper has no Kubernetes object: the export says so, in a note and in the
    /// manifest's header, with the `tc` command for the real node; nodes the grouping does not use
    /// are left out.
    @Test func aShapedNodeIsNotedWithItsTCCommand() throws {
        let topology = try TopologyReader.read(
            """
            { "name": "shaped", "duration": "10ms",
              "cluster": { "nodes": [
                { "name": "a", "nic": { "shaping": { "rate": "1Gbps", "burst": "128KiB", "limit": "256KiB" } } },
                { "name": "b", "nic": { "shaping": "2Gbps" } }, { "name": "c" } ] },
              "containers": ["web", "db"],
              "groupings": [ { "name": "apart", "pods": [ { "containers": ["web"], "node": "a" },
                                                          { "containers": ["db"], "node": "c" } ] } ] }
            """, file: "shaped.json", requireFlows: false)
        let notes = KubernetesExport.notes(topology, grouping: 0)
        #expect(notes.count == 1, "\(notes)")
        #expect(notes.first?.hasPrefix("node a shapes its NIC's egress (1Gbps, burst 128KiB, limit 256KiB)") == true)
        #expect(
            notes.first?.hasSuffix("tc qdisc replace dev <nic> root tbf rate 1000000000bit burst 131072 limit 262144")
                == true)
        let yaml = try KubernetesExport.yaml(topology, grouping: 0)
        #expect(yaml.contains("# Shaping: node a shapes"))
        #expect(!yaml.contains("node b"))
    }

    /// A pod's shapers leave as the bandwidth CNI plugin's annotations (the slowest container's
    /// rate each way) and come back on import; their burst and limit, which the annotations
    /// cannot carry, are noted.
    @Test func bandwidthRoundTripsThroughTheAnnotations() throws {
        let topology = try TopologyReader.read(
            """
            { "name": "limited", "duration": "10ms", "cluster": { "nodes": [ { "name": "a" } ] },
              "containers": [ { "name": "web", "bandwidth": { "egress": "200Mbps", "ingress": "1Gbps" } },
                              { "name": "log", "bandwidth": { "egress": "50Mbps" } }, "db" ],
              "groupings": [ { "name": "g", "pods": [ { "name": "front", "containers": ["web", "log"], "node": "a" },
                                                      { "containers": ["db"], "node": "a" } ] } ] }
            """, file: "limited.json", requireFlows: false)
        let exported = try Manifests.read([
            try KubernetesImportTests.write(try KubernetesExport.yaml(topology, grouping: 0))
        ])
        let front = try #require(exported.workloads.first { $0.name == "front" })
        #expect(front.bandwidth.egress == 50_000_000 && front.bandwidth.ingress == 1_000_000_000)
        #expect(exported.workloads.filter { $0.name != "front" }.allSatisfy { $0.bandwidth.isEmpty })
        let notes = KubernetesExport.notes(topology, grouping: 0)
        #expect(
            notes.count == 1 && notes[0].hasPrefix("Deployment front: its bandwidth annotations carry the rate only"))
    }

    /// The shop's ports survive import and export: each container's containerPorts, and each
    /// Service's port and targetPort (the frontend's Service offers 80 for its 8080).
    @Test func portsRoundTrip() throws {
        let (original, topology) = try KubernetesImportTests.importShop()
        let exported = try Manifests.read([
            try KubernetesImportTests.write(try KubernetesExport.yaml(topology, grouping: 0))
        ])
        for workload in original.workloads {
            let back = try #require(exported.workloads.first { $0.name == workload.name })
            for container in workload.containers {
                #expect(
                    back.containers.first { $0.name == container.name }?.ports == container.ports, "\(workload.name)")
            }
        }
        for service in exported.services {
            let before = try #require(original.services.first { $0.name == service.name })
            #expect(service.portByTarget == before.portByTarget, "\(service.name)")
        }
    }

    /// The shop's traffic file with each flow's ends named where the export put them.
    static func traffic(_ original: TrafficFile, for topology: Topology, grouping: Int) throws -> TrafficFile {
        guard case .object(var members) = original.root.value else { throw CancellationError() }
        let flows = zip(original.flows, topology.flows).map { node, flow -> JSONNode in
            guard case .object(var fields) = node.value else { return node }
            for (key, end) in [("from", flow.from), ("to", flow.to)] {
                let address = KubernetesExport.address(ofContainer: end, in: topology, grouping: grouping)
                if let slot = fields.firstIndex(where: { $0.key == key }) {
                    fields[slot].value = SpecTree.string(address)
                }
            }
            return SpecTree.node(.object(fields))
        }
        if let slot = members.firstIndex(where: { $0.key == "flows" }) { members[slot].value = SpecTree.array(flows) }
        return try TrafficFile.read(try SpecTree.yaml(SpecTree.node(.object(members))), file: "traffic.yaml")
    }

    /// Export, import what was exported (with the traffic addressed to the exported names),
    /// export again: the same manifests, for as-deployed and every grouping import generates.
    @Test func exportImportExportIsAFixedPoint() throws {
        let (_, topology) = try KubernetesImportTests.importShop()
        let original = try TrafficFile.read(
            try String(contentsOfFile: KubernetesImportTests.traffic, encoding: .utf8),
            file: KubernetesImportTests.traffic)
        for index in topology.groupings.indices {
            let first = try KubernetesExport.yaml(topology, grouping: index)
            let file = try KubernetesImportTests.write(first)
            defer { try? FileManager.default.removeItem(atPath: file) }
            var importer = try KubernetesImport(
                manifests: try Manifests.read([file]),
                traffic: try Self.traffic(original, for: topology, grouping: index),
                cluster: nil)
            let again = try TopologyReader.read(try importer.yaml(sources: [file]), file: "again.yaml")
            let asDeployed = try #require(again.groupings.firstIndex { $0.name == "as-deployed" })
            var second = try KubernetesExport.yaml(again, grouping: asDeployed)
            // The grouping's name differs (the re-import calls it as-deployed); the rest must match.
            let name = topology.groupings[index].name
            second = second.replacingOccurrences(of: "grouping as-deployed", with: "grouping \(name)")
                .replacingOccurrences(of: "netlab.io/grouping: as-deployed", with: "netlab.io/grouping: \(name)")
                .replacingOccurrences(of: "of topology \(again.name)", with: "of topology \(topology.name)")
            #expect(second == first, "grouping \(name)")
        }
    }
}
