import Foundation
import Testing
import Yams

/// `netlab sweep`, its shards, `netlab merge`, and the Kubernetes Job that runs the shards.
@Suite struct SweepCommandTests {
    static let sets = [
        "--set", "flows[http].rate=1000/s..4000/s:x2", "--set", "flows[access-log].size=64B,4KiB", "--duration",
        "120ms",
        "--replications", "2",
    ]

    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Shards run separately and merged give the whole sweep's output byte for byte, in CSV and
    /// in JSON lines; the whole sweep has one row per point × grouping × flow × metric.
    @Test func mergedShardsEqualTheWholeSweep() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for format in ["csv", "jsonl"] {
            let whole = try NetlabBinary.run(
                ["sweep", SimulateCommandTests.example] + Self.sets + ["--format", format])
            #expect(whole.status == 0, "\(whole.standardError)")
            var files: [String] = []
            for index in [2, 0, 1] {
                let file = folder.appendingPathComponent("shard-\(index).jsonl").path
                let shard = try NetlabBinary.run(
                    ["sweep", SimulateCommandTests.example] + Self.sets + ["--shard", "\(index)/3", "--output", file])
                #expect(shard.status == 0, "\(shard.standardError)")
                files.append(file)
            }
            let merged = try NetlabBinary.run(["merge"] + files + ["--format", format])
            #expect(merged.status == 0, "\(merged.standardError)")
            #expect(merged.standardOutput == whole.standardOutput)
            if format == "csv" {
                // 6 points × 3 groupings × 2 flows × 5 metrics, plus the header.
                #expect(whole.standardOutput.split(separator: "\n").count == 6 * 3 * 2 * 5 + 1)
            }
        }
    }

    /// Shards of two different sweeps are not merged, and the message says why.
    @Test func shardsOfDifferentSweepsAreRefused() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.jsonl").path, b = folder.appendingPathComponent("b.jsonl").path
        _ = try NetlabBinary.run(
            ["sweep", SimulateCommandTests.example] + Self.sets + ["--shard", "0/2", "--output", a])
        _ = try NetlabBinary.run(
            [
                "sweep", SimulateCommandTests.example, "--set", "flows[http].rate=1000/s,3000/s", "--duration", "120ms",
                "--replications", "2", "--shard", "1/2", "--output", b,
            ])
        let result = try NetlabBinary.run(["merge", a, b])
        #expect(result.status == 2)
        #expect(result.standardError.contains("comes from a different sweep"), "\(result.standardError)")
    }

    /// The emitted Job's shard command, run for each index with JOB_COMPLETION_INDEX set as
    /// Kubernetes sets it (paths of the pod's volumes mapped onto a temporary folder), then the
    /// merge Job's command: the result is the whole sweep's CSV.
    @Test func theJobRunLocallyEqualsTheWholeSweep() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("job.yaml").path
        let emitted = try NetlabBinary.run(
            ["sweep", SimulateCommandTests.example] + Self.sets + [
                "--emit", "kubernetes-job", "--shards", "3", "--output", manifest,
            ])
        #expect(emitted.status == 0, "\(emitted.standardError)")
        let documents = try Yams.load_all(yaml: try String(contentsOfFile: manifest, encoding: .utf8)).map {
            try #require($0 as? [String: Any])
        }
        #expect(documents.map { $0["kind"] as? String } == ["ConfigMap", "Job", "Job"])
        let config = try #require(documents[0]["data"] as? [String: String])
        let topologyName = try #require(config.keys.first)
        let netlabDirectory = folder.appendingPathComponent("netlab"),
            results = folder.appendingPathComponent("results")
        for directory in [netlabDirectory, results] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        try config[topologyName]!.write(
            to: netlabDirectory.appendingPathComponent(topologyName), atomically: true, encoding: .utf8)
        func command(_ document: [String: Any]) throws -> String {
            let spec = try #require(document["spec"] as? [String: Any])
            let template = try #require(spec["template"] as? [String: Any])
            let pod = try #require(template["spec"] as? [String: Any])
            let container = try #require((pod["containers"] as? [[String: Any]])?.first)
            let words = try #require(container["command"] as? [String])
            #expect(words.prefix(2) == ["sh", "-c"])
            return words[2].replacingOccurrences(of: "/netlab/", with: netlabDirectory.path + "/")
                .replacingOccurrences(of: "/results/", with: results.path + "/")
                .replacingOccurrences(of: "netlab ", with: NetlabBinary.url.path + " ")
        }
        let job = try #require(documents[1]["spec"] as? [String: Any])
        #expect(job["completionMode"] as? String == "Indexed")
        let completions = try #require(job["completions"] as? Int)
        let shardCommand = try command(documents[1])
        for index in 0..<completions {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shardCommand]
            process.environment = ["JOB_COMPLETION_INDEX": "\(index)", "PATH": "/usr/bin:/bin"]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "shard \(index)")
        }
        let merge = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", try command(documents[2])])
        #expect(merge.status == 0, "\(merge.standardError)")
        let whole = try NetlabBinary.run(["sweep", SimulateCommandTests.example] + Self.sets + ["--format", "csv"])
        #expect(
            try String(contentsOfFile: results.appendingPathComponent("sweep.csv").path, encoding: .utf8)
                == whole.standardOutput)
        // A shard that never wrote its file: past its deadline (24 h by default, here none) the
        // merge names it and fails, rather than wait for ever.
        let mergeJob = try #require(documents[2]["spec"] as? [String: Any])
        #expect(mergeJob["activeDeadlineSeconds"] as? Int == 86_400 + 300 && mergeJob["backoffLimit"] as? Int == 0)
        try FileManager.default.removeItem(at: results.appendingPathComponent("shard-1.jsonl"))
        let impatient = try command(documents[2]).replacingOccurrences(of: "+ 86400))", with: "+ 0))")
        #expect(impatient != (try command(documents[2])))
        let missing = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", impatient])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("1 of 3 shard file(s) missing, indices: 1"), "\(missing.standardError)")
    }

    /// The emitted objects against the Kubernetes API's models (the Python client's), when it is
    /// installed: every field known, nothing required missing.
    @Test(.enabled(if: KubernetesValidation.isInstalled, KubernetesValidation.missing))
    func theJobIsValidKubernetes() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("job.yaml").path
        _ = try NetlabBinary.run(
            ["sweep", SimulateCommandTests.example] + Self.sets + ["--emit", "kubernetes-job", "--output", manifest])
        let result = try runProgram(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", KubernetesValidation.script, manifest])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("valid: ConfigMap, Job, Job"), "\(result.standardOutput)")
    }

    /// A topology whose name is long and full of what names may not hold still gives objects the
    /// API server accepts; a sweep that names a grouping the topology lacks is refused before
    /// any Job is written.
    @Test(.enabled(if: KubernetesValidation.isInstalled, KubernetesValidation.missing))
    func hostileNamesGiveValidJobs() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOfFile: SimulateCommandTests.example, encoding: .utf8)
        let name = String(repeating: "Web_Log.Side-", count: 12) + "-"
        let topology = folder.appendingPathComponent("1_000.json").path
        try text.replacingOccurrences(of: #""name": "web-log-sidecar""#, with: #""name": "\#(name)""#)
            .write(toFile: topology, atomically: true, encoding: .utf8)
        #expect(try String(contentsOfFile: topology, encoding: .utf8).contains(name))
        let manifest = folder.appendingPathComponent("job.yaml").path
        let emitted = try NetlabBinary.run(
            ["sweep", topology] + Self.sets + ["--emit", "kubernetes-job", "--output", manifest])
        #expect(emitted.status == 0, "\(emitted.standardError)")
        let result = try runProgram(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", KubernetesValidation.script, manifest])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        let refused = try NetlabBinary.run(
            ["sweep", topology] + Self.sets + [
                "--emit", "kubernetes-job", "--grouping", "nosuch", "--output", manifest,
            ])
        #expect(
            refused.status == 2 && refused.standardError.contains("no grouping \"nosuch\""), "\(refused.standardError)")
        // The merge's deadline: out of range refused with a value that parses, a valid one
        // written into the Job.
        let short = try NetlabBinary.run(
            ["sweep", topology] + Self.sets + [
                "--emit", "kubernetes-job", "--merge-deadline", "5s", "--output", manifest,
            ])
        #expect(short.status == 2 && short.standardError.contains("--merge-deadline"), "\(short.standardError)")
        #expect(short.standardError.contains("21600s"), "\(short.standardError)")
        let hour = try NetlabBinary.run(
            ["sweep", topology] + Self.sets + [
                "--emit", "kubernetes-job", "--merge-deadline", "3600s", "--output", manifest,
            ])
        #expect(hour.status == 0, "\(hour.standardError)")
        let merge = try #require(
            Array(try Yams.load_all(yaml: try String(contentsOfFile: manifest, encoding: .utf8))).last as? [String: Any]
        )
        #expect((merge["spec"] as? [String: Any])?["activeDeadlineSeconds"] as? Int == 3_900)
    }
}

/// A Python check of manifests against the Kubernetes client's models: each document is
/// deserialised into its model (which refuses missing required fields) and serialised back;
/// anything the model dropped was a field Kubernetes does not know. The models do not check
/// names, so the API server's name rules are checked here as well: object names (a DNS-1035
/// label for a Service, a DNS-1123 label for a Job, whose name becomes a label value, a DNS-1123
/// subdomain otherwise), container names (DNS-1123 labels, unique in their pod), label values,
/// ConfigMap keys and environment variable names (C identifiers); every name a string. Where
/// the PyPI package kubernetes-validate is installed, each object is also checked against the
/// API's own OpenAPI schema, strictly (unknown fields refused).
enum KubernetesValidation {
    /// Whether python3 has the modules the check needs.
    static let isInstalled =
        (try? runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import kubernetes, yaml"]))?.status
        == 0
    static let missing: Comment = "needs python3 with the kubernetes and yaml modules (pip install kubernetes)"

    static let script = #"""
        import re, sys, yaml
        from kubernetes import client
        try: import kubernetes_validate as schema  # the API's OpenAPI schemas, offline, where installed
        except ImportError: schema = None
        label = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
        label1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z")
        subdomain = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
        label_value = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")
        c_identifier = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
        config_key = re.compile(r"[-._a-zA-Z0-9]+\Z")
        def check(ok, what):
            if not ok: sys.exit(f"invalid name: {what}")
        def names(document):
            kind, metadata = document["kind"], document["metadata"]
            name = metadata["name"]
            check(isinstance(name, str), f"{kind} name {name!r} is not a string")
            if kind == "Service": check(len(name) <= 63 and label1035.match(name), f"Service {name}")
            elif kind == "Job": check(len(name) <= 63 and label.match(name), f"Job {name}")
            else: check(len(name) <= 253 and subdomain.match(name), f"{kind} {name}")
            templates = [document]
            spec = document.get("spec") or {}
            if "template" in spec: templates.append(spec["template"])
            for item in templates:
                for key, value in ((item.get("metadata") or {}).get("labels") or {}).items():
                    check(isinstance(value, str) and len(value) <= 63 and label_value.match(value), f"label {key}={value!r}")
            for key in (document.get("data") or {}): check(config_key.match(key), f"ConfigMap key {key}")
            pod = (spec.get("template") or {}).get("spec") or (spec if kind == "Pod" else {})
            containers = [c["name"] for c in pod.get("containers", [])]
            for container in containers:
                check(isinstance(container, str) and len(container) <= 63 and label.match(container), f"container {container!r}")
            check(len(set(containers)) == len(containers), f"containers {containers} in {name}")
            for container in pod.get("containers", []):
                for variable in container.get("env", []):
                    check(isinstance(variable["name"], str) and c_identifier.match(variable["name"]), f"env {variable['name']!r}")
        api = client.ApiClient()
        models = {"ConfigMap": "V1ConfigMap", "Job": "V1Job", "Deployment": "V1Deployment", "Service": "V1Service",
                  "StatefulSet": "V1StatefulSet", "DaemonSet": "V1DaemonSet", "Pod": "V1Pod"}
        def dropped(original, back, path):
            if isinstance(original, dict):
                for key, value in original.items():
                    if key not in back: yield f"{path}.{key}"
                    else: yield from dropped(value, back[key], f"{path}.{key}")
            elif isinstance(original, list):
                for index, (a, b) in enumerate(zip(original, back)): yield from dropped(a, b, f"{path}[{index}]")
        kinds = []
        for document in yaml.safe_load_all(open(sys.argv[1])):
            if document is None: continue
            kind = document["kind"]
            model = api._ApiClient__deserialize(document, models[kind])
            back = api.sanitize_for_serialization(model)
            unknown = list(dropped(document, back, kind))
            if unknown: sys.exit(f"unknown fields: {unknown}")
            names(document)
            if schema: schema.validate(document, schema.latest_version(), strict=True)
            kinds.append(kind)
        print("valid: " + ", ".join(kinds) + ("; OpenAPI schema checked" if schema else "; OpenAPI schema not checked (pip install kubernetes-validate)"))
        """#
}

/// `netlab import k8s` and `netlab export k8s` as a user runs them.
@Suite struct KubernetesCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples")

    /// `netlab import k8s` of the bundled shop into `folder`: the topology's path, and the run.
    static func importShop(into folder: URL) throws -> (String, CommandResult) {
        let topology = folder.appendingPathComponent("shop.yaml").path
        let imported = try NetlabBinary.run([
            "import", "k8s", examples.appendingPathComponent("k8s/online-boutique.yaml").path, "--traffic",
            examples.appendingPathComponent("k8s/traffic.yaml").path, "--output", topology,
        ])
        #expect(imported.status == 0, "\(imported.standardError)")
        return (topology, imported)
    }

    /// `netlab export k8s` of each of `groupings` into `folder`, each file through the check.
    static func exportAndValidate(_ topology: String, groupings: [String], in folder: URL) throws {
        for grouping in groupings {
            let manifests = folder.appendingPathComponent("\(grouping).yaml").path
            let exported = try NetlabBinary.run([
                "export", "k8s", topology, "--grouping", grouping, "--output", manifests,
            ])
            #expect(exported.status == 0, "\(exported.standardError)")
            let check = try runProgram(
                URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", KubernetesValidation.script, manifests])
            #expect(check.status == 0, "\(grouping): \(check.standardOutput)\(check.standardError)")
        }
    }

    /// Import the shop, export every grouping import generates: each file passes the API's
    /// models, name rules and (where installed) schema.
    @Test(.enabled(if: KubernetesValidation.isInstalled, KubernetesValidation.missing))
    func theShopsGroupingsExportAsValidObjects() throws {
        let folder = try SweepCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (topology, imported) = try Self.importShop(into: folder)
        let tree = try #require(
            try Yams.load(yaml: try String(contentsOfFile: topology, encoding: .utf8)) as? [String: Any])
        let groupings = try #require(tree["groupings"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(groupings.count > 3)
        try Self.exportAndValidate(topology, groupings: groupings, in: folder)
    }

    /// Import the shop, simulate it, export a grouping.
    @Test func importSimulateExport() throws {
        let folder = try SweepCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (topology, imported) = try Self.importShop(into: folder)
        #expect(imported.standardError.contains("note: skipped ConfigMap shop-settings"))
        let simulated = try NetlabBinary.run([
            "simulate", topology, "--grouping", "as-deployed", "--grouping", "split-sidecars", "--duration", "100ms",
            "--format", "json",
        ])
        #expect(simulated.status == 0, "\(simulated.standardError)")
        let manifests = folder.appendingPathComponent("split.yaml").path
        let exported = try NetlabBinary.run([
            "export", "k8s", topology, "--grouping", "split-sidecars", "--output", manifests,
        ])
        #expect(exported.status == 0, "\(exported.standardError)")
        let text = try String(contentsOfFile: manifests, encoding: .utf8)
        #expect(text.contains("name: frontend-log-shipper"))
        let unknown = try NetlabBinary.run(["export", "k8s", topology, "--grouping", "as-deploy"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("no grouping \"as-deploy\""))
    }

    /// Names no Kubernetes object may have (numbers to YAML 1.1, other scripts, a digit first,
    /// 200 characters, names equal once made valid) export as objects the API server accepts.
    @Test(.enabled(if: KubernetesValidation.isInstalled, KubernetesValidation.missing))
    func hostileNamesExportAsValidObjects() throws {
        let folder = try SweepCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = [
            ".inf", "1_000", "0b101", "web½", "٣٤", "café", "9lives", "yes", String(repeating: "x", count: 200), "a-b",
            "a_b",
        ]
        let containers = names.map { #"{ "name": "\#($0)", "ports": [8080] }"# }.joined(separator: ", ")
        let flows = names.dropFirst().map {
            #"{ "from": ".inf", "to": "\#($0)", "pattern": "oneway", "size": "100B", "rate": "10/s" }"#
        }.joined(separator: ", ")
        let pods = names.map { #"{ "name": "\#($0)", "containers": ["\#($0)"], "node": "Node_1" }"# }
            .joined(separator: ", ")
        let together = #"{ "name": "all", "containers": ["a-b", "a_b"], "node": "Node_1" }"#
        let rest = names.filter { $0 != "a-b" && $0 != "a_b" }.map {
            #"{ "name": "\#($0)", "containers": ["\#($0)"], "node": "Node_1" }"#
        }.joined(separator: ", ")
        let topology = folder.appendingPathComponent("hostile.json").path
        let text = """
            { "name": "1e3", "duration": "10ms", "cluster": { "nodes": [ { "name": "Node_1", "cores": 64 } ] },
              "containers": [ \(containers) ], "flows": [ \(flows) ],
              "groupings": [ { "name": "apart", "pods": [ \(pods) ] },
                             { "name": "together", "pods": [ \(together), \(rest) ] } ] }
            """
        try text.write(toFile: topology, atomically: true, encoding: .utf8)
        try Self.exportAndValidate(topology, groupings: ["apart", "together"], in: folder)
    }

    /// A file that is not a manifest: one line naming the file and the document.
    @Test func aTopologyIsNotAManifest() throws {
        let result = try NetlabBinary.run([
            "import", "k8s", Self.examples.appendingPathComponent("web-log-sidecar.yaml").path, "--traffic",
            Self.examples.appendingPathComponent("k8s/traffic.yaml").path,
        ])
        #expect(result.status == 2)
        #expect(result.standardError.contains("web-log-sidecar.yaml:"), "\(result.standardError)")
        #expect(result.standardError.contains("document 1: kind: no \"kind\""), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    /// A folder holding manifests and other files (the traffic file, a topology, a broken file):
    /// the others are skipped whole, each with a note, and the manifests imported.
    @Test func aFolderSkipsWhatIsNotAManifest() throws {
        let folder = try SweepCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let k8s = Self.examples.appendingPathComponent("k8s")
        for name in ["online-boutique.yaml", "traffic.yaml"] {
            try FileManager.default.copyItem(
                at: k8s.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(
            at: Self.examples.appendingPathComponent("web-log-sidecar.yaml"),
            to: folder.appendingPathComponent("a-topology.yaml"))
        try "kind: Deployment\nmetadata: { name: half }\nspec: [".write(
            to: folder.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let result = try NetlabBinary.run([
            "import", "k8s", folder.path, "--traffic", folder.appendingPathComponent("traffic.yaml").path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        for name in ["a-topology.yaml", "broken.yaml", "traffic.yaml"] {
            #expect(
                result.standardError.contains("note: skipped file \(folder.appendingPathComponent(name).path)"),
                "\(name): \(result.standardError)")
        }
        // Nothing of the broken file was half taken.
        #expect(!result.standardOutput.contains("half"))
        #expect(result.standardOutput.contains("cartservice"))
    }
}
