import Foundation
import NetLabCore

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

    /// The three objects as one multi-document YAML file.
    public var yaml: String {
        let topology = topologyText.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }
            .joined(separator: "\n")
        func volumes(config: Bool) -> String {
            var text = """
                      volumes:
                        - name: results
                          persistentVolumeClaim:
                            claimName: \(yamlQuoted(claim))

                """
            if config {
                text += """
                            - name: config
                              configMap:
                                name: \(name)-topology

                    """
            }
            return text
        }
        return """
            # netlab sweep on Kubernetes: \(shards) shards, \(parallelism) at a time, then a merge that waits
            # for all their files: kubectl apply -f this file; kubectl wait --for=condition=complete job/\(name)-merge
            # The claim \(claim) must exist and allow ReadWriteMany (every shard pod writes to it).
            # The result: /results/sweep.csv on that claim.
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: \(name)-topology
              labels:
                app.kubernetes.io/name: netlab
            data:
              \(topologyFile): |
            \(topology)
            ---
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: \(name)
              labels:
                app.kubernetes.io/name: netlab
            spec:
              completionMode: Indexed
              completions: \(shards)
              parallelism: \(parallelism)
              backoffLimitPerIndex: 2
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: netlab
                spec:
                  restartPolicy: Never
                  containers:
                    - name: shard
                      image: \(yamlQuoted(image))
                      command: ["sh", "-c", \(yamlQuoted(shardCommand))]
                      volumeMounts:
                        - name: config
                          mountPath: \(Self.configDirectory)
                        - name: results
                          mountPath: \(Self.resultsDirectory)
            \(volumes(config: true))---
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: \(name)-merge
              labels:
                app.kubernetes.io/name: netlab
            spec:
              completions: 1
              backoffLimit: 0
              # The script gives up first (after \(mergeDeadlineSeconds) s), naming the missing shards.
              activeDeadlineSeconds: \(mergeDeadlineSeconds + 300)
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: merge
                      image: \(yamlQuoted(image))
                      command: ["sh", "-c", \(yamlQuoted(mergeCommand))]
                      volumeMounts:
                        - name: results
                          mountPath: \(Self.resultsDirectory)
            \(volumes(config: false))
            """
    }
}

/// `text` quoted for a POSIX shell when it holds anything but safe characters.
func shellQuoted(_ text: String) -> String {
    let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
    return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// `text` as a double-quoted YAML scalar (a JSON string is one).
func yamlQuoted(_ text: String) -> String { jsonString(text) }
