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
    }

    /// The emitted objects against the Kubernetes API's models (the Python client's), when it is
    /// installed: every field known, nothing required missing.
    @Test(
        .enabled(
            if: (try? runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import kubernetes, yaml"]))?
                .status
                == 0, "needs python3 with the kubernetes and yaml modules (pip install kubernetes)"))
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
}

/// A Python check of manifests against the Kubernetes client's models: each document is
/// deserialised into its model (which refuses missing required fields) and serialised back;
/// anything the model dropped was a field Kubernetes does not know.
enum KubernetesValidation {
    static let script = #"""
        import sys, yaml
        from kubernetes import client
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
            kinds.append(kind)
        print("valid: " + ", ".join(kinds))
        """#
}

/// `netlab import k8s` and `netlab export k8s` as a user runs them.
@Suite struct KubernetesCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples")

    /// Import the shop, simulate it, export a grouping; the manifests pass the Kubernetes models
    /// (when the Python client is installed).
    @Test func importSimulateExport() throws {
        let folder = try SweepCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let topology = folder.appendingPathComponent("shop.yaml").path
        let imported = try NetlabBinary.run([
            "import", "k8s", Self.examples.appendingPathComponent("k8s/online-boutique.yaml").path, "--traffic",
            Self.examples.appendingPathComponent("k8s/traffic.yaml").path, "--output", topology,
        ])
        #expect(imported.status == 0, "\(imported.standardError)")
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
        if (try? runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import kubernetes, yaml"]))?
            .status == 0
        {
            let check = try runProgram(
                URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", KubernetesValidation.script, manifests])
            #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
        }
        let unknown = try NetlabBinary.run(["export", "k8s", topology, "--grouping", "as-deploy"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("no grouping \"as-deploy\""))
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
}
