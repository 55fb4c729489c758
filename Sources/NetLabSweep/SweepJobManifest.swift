import Foundation
import NetLabCore
import NetLabSpec

/// The Kubernetes objects that run a sweep on a cluster: a ConfigMap holding the topology, an
/// Indexed Job whose pod k runs shard k of N (Kubernetes sets `JOB_COMPLETION_INDEX`) and writes
/// its file to a shared volume, and a Job that merges the shards once they are all there.
public struct SweepJobManifest: Sendable {
    /// The prefix of every object's name (a valid DNS-1123 label).
    public var name: String
    /// The container image that has `netlab` on its path.
    public var image: String
    /// How many shards (the Indexed Job's completions).
    public var shards: Int
    /// How long the merge waits for the shards' files before it names those missing and fails.
    public var mergeDeadlineSeconds: Int
    /// How many shard pods may run at once.
    public var parallelism: Int
    /// A PersistentVolumeClaim every shard pod can write to (ReadWriteMany).
    public var claim: String
    /// The topology file's name inside the ConfigMap, and its text.
    public var topologyFile: String
    public var topologyText: String
    /// `netlab sweep` arguments after the topology (the `--set`s and the rest), as typed.
    public var sweepArguments: [String]
    /// Arguments of the merge (`--format csv`, ...).
    public var mergeArguments: [String]

    /// The objects of a sweep of `shards` shards; see the properties for each argument.
    public init(
        name: String, image: String, shards: Int, mergeDeadlineSeconds: Int = 86_400, parallelism: Int, claim: String,
        topologyFile: String,
        topologyText: String, sweepArguments: [String], mergeArguments: [String]
    ) {
        self.name = name
        self.image = image
        self.shards = shards
        self.mergeDeadlineSeconds = mergeDeadlineSeconds
        self.parallelism = parallelism
        self.claim = claim
        self.topologyFile = topologyFile
        self.topologyText = topologyText
        self.sweepArguments = sweepArguments
        self.mergeArguments = mergeArguments
    }

    /// Where the pods see the topology and the results.
    public static let configDirectory = "/netlab"
    /// Where the shard files and the merged result are written (the claim is mounted there).
    public static let resultsDirectory = "/results"

    /// The shell command of shard pods: the shard index comes from `JOB_COMPLETION_INDEX`.
    public var shardCommand: String {
        (["netlab", "sweep", "\(Self.configDirectory)/\(topologyFile)"] + sweepArguments).map(shellQuoted)
            .joined(separator: " ")
            + " --shard \"$JOB_COMPLETION_INDEX/\(shards)\" --output \"\(Self.resultsDirectory)/shard-$JOB_COMPLETION_INDEX.jsonl\""
    }

    /// The shell command of the merge pod: it waits for every shard's file (each written whole,
    /// by rename), then merges them; past the deadline it names the shards still missing (the
    /// first 100 and how many) and exits 1.
    public var mergeCommand: String {
        "deadline=$(($(date +%s) + \(mergeDeadlineSeconds))); while :; do missing=''; count=0; "
            + "for i in $(seq 0 \(shards - 1)); do [ -f \(Self.resultsDirectory)/shard-$i.jsonl ] || "
            + "{ count=$((count + 1)); [ $count -le 100 ] && missing=\"$missing $i\"; }; done; "
            + "[ $count -eq 0 ] && break; if [ $(date +%s) -ge $deadline ]; then "
            + "echo \"netlab merge: after \(mergeDeadlineSeconds)s, $count of \(shards) shard file(s) missing, indices:$missing\" >&2; "
            + "exit 1; fi; sleep 10; done; "
            + (["netlab", "merge"] + (0..<shards).map { "\(Self.resultsDirectory)/shard-\($0).jsonl" } + mergeArguments)
            .map(shellQuoted).joined(separator: " ") + " --output \(Self.resultsDirectory)/sweep.csv"
    }

    /// The three objects as one multi-document YAML file, after comments that say how to run it.
    /// - Throws: ``SweepError`` if the YAML writer fails (a netlab bug).
    public func yaml() throws(SweepError) -> String {
        let header = """
            # netlab sweep on Kubernetes: \(shards) shards, \(parallelism) at a time, then a merge that waits
            # for all their files: kubectl apply -f this file; kubectl wait --for=condition=complete job/\(name)-merge
            # The claim \(claim) must exist and allow ReadWriteMany (every shard pod writes to it).
            # The result: /results/sweep.csv on that claim. The merge's script gives up after
            # \(mergeDeadlineSeconds) s, naming the missing shards; its Job's deadline is 300 s later.

            """
        do {
            return try header + SpecTree.yaml(configMap) + "---\n" + SpecTree.yaml(shardJob) + "---\n"
                + SpecTree.yaml(mergeJob)
        } catch {
            throw SweepError(
                "(output)", "the YAML writer failed: \(error.reason)",
                fix: "report this as a netlab bug, with the topology and the command line")
        }
    }

    /// The ConfigMap that holds the topology file.
    var configMap: JSONNode {
        SpecTree.object([
            ("apiVersion", SpecTree.string("v1")), ("kind", SpecTree.string("ConfigMap")),
            ("metadata", metadata(name: "\(name)-topology")),
            ("data", SpecTree.object([(topologyFile, SpecTree.string(topologyText))])),
        ])
    }

    /// The Indexed Job whose pod k runs shard k.
    var shardJob: JSONNode {
        SpecTree.object([
            ("apiVersion", SpecTree.string("batch/v1")), ("kind", SpecTree.string("Job")),
            ("metadata", metadata(name: name)),
            (
                "spec",
                SpecTree.object([
                    ("completionMode", SpecTree.string("Indexed")), ("completions", SpecTree.integer(shards)),
                    ("parallelism", SpecTree.integer(parallelism)), ("backoffLimitPerIndex", SpecTree.integer(2)),
                    (
                        "template",
                        SpecTree.object([
                            ("metadata", SpecTree.object([("labels", labels)])),
                            ("spec", podSpec(container: "shard", command: shardCommand, readsTopology: true)),
                        ])
                    ),
                ])
            ),
        ])
    }

    /// The Job that waits for every shard's file and merges them.
    var mergeJob: JSONNode {
        SpecTree.object([
            ("apiVersion", SpecTree.string("batch/v1")), ("kind", SpecTree.string("Job")),
            ("metadata", metadata(name: "\(name)-merge")),
            (
                "spec",
                SpecTree.object([
                    ("completions", SpecTree.integer(1)), ("backoffLimit", SpecTree.integer(0)),
                    ("activeDeadlineSeconds", SpecTree.integer(mergeDeadlineSeconds + 300)),
                    (
                        "template",
                        SpecTree.object([
                            ("spec", podSpec(container: "merge", command: mergeCommand, readsTopology: false))
                        ])
                    ),
                ])
            ),
        ])
    }

    private var labels: JSONNode { SpecTree.object([("app.kubernetes.io/name", SpecTree.string("netlab"))]) }

    private func metadata(name: String) -> JSONNode {
        SpecTree.object([("name", SpecTree.string(name)), ("labels", labels)])
    }

    /// A pod of one container that runs `command` in a shell, with the results claim mounted
    /// (and the topology, where it reads it).
    private func podSpec(container: String, command: String, readsTopology: Bool) -> JSONNode {
        let mount = { (volume: String, path: String) in
            SpecTree.object([("name", SpecTree.string(volume)), ("mountPath", SpecTree.string(path))])
        }
        var mounts = [mount("results", Self.resultsDirectory)]
        var volumes = [
            SpecTree.object([
                ("name", SpecTree.string("results")),
                ("persistentVolumeClaim", SpecTree.object([("claimName", SpecTree.string(claim))])),
            ])
        ]
        if readsTopology {
            mounts.insert(mount("config", Self.configDirectory), at: 0)
            volumes.append(
                SpecTree.object([
                    ("name", SpecTree.string("config")),
                    ("configMap", SpecTree.object([("name", SpecTree.string("\(name)-topology"))])),
                ]))
        }
        return SpecTree.object([
            ("restartPolicy", SpecTree.string("Never")),
            (
                "containers",
                SpecTree.array([
                    SpecTree.object([
                        ("name", SpecTree.string(container)), ("image", SpecTree.string(image)),
                        ("command", SpecTree.array(["sh", "-c", command].map(SpecTree.string))),
                        ("volumeMounts", SpecTree.array(mounts)),
                    ])
                ])
            ),
            ("volumes", SpecTree.array(volumes)),
        ])
    }
}

/// `text` quoted for a POSIX shell when it holds anything but safe characters.
func shellQuoted(_ text: String) -> String {
    let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
    return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
