import NetLabKubernetes
import NetLabReport
import NetLabSweep

/// The readers of `netlab import k8s`, `netlab sweep` and `netlab merge`: the input as Kubernetes
/// manifests (imported with a fixed traffic file), as a traffic file (with fixed manifests), each
/// line as a `--set` expression, and as a sweep shard file merged and rendered in every format.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImport(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let fixedManifest = """
        kind: Deployment
        metadata: { name: web }
        spec: { replicas: 2, template: { metadata: { labels: { app: web } }, spec: { containers: [ { name: app } ] } } }
        ---
        kind: Service
        metadata: { name: web }
        spec: { selector: { app: web } }
        ---
        kind: Pod
        metadata: { name: client }
        spec: { containers: [ { name: main, resources: { requests: { cpu: 100m } } } ] }
        """
    let fixedTraffic =
        "cluster: { nodes: 2, cores: 4 }\nflows: [ { from: client, to: web, pattern: oneway, size: 100B, rate: 10/s } ]"
    var manifests = Manifests()
    if (try? manifests.add(text: text, file: "fuzz.yaml")) != nil,
        let traffic = try? TrafficFile.read(fixedTraffic, file: "t.yaml"),
        var importer = try? KubernetesImport(manifests: manifests, traffic: traffic, cluster: nil)
    {
        _ = try? importer.yaml(sources: ["fuzz.yaml"])
    }
    var fixed = Manifests()
    if (try? fixed.add(text: fixedManifest, file: "m.yaml")) != nil,
        let traffic = try? TrafficFile.read(text, file: "fuzz.yaml"),
        var importer = try? KubernetesImport(manifests: fixed, traffic: traffic, cluster: nil)
    {
        _ = try? importer.yaml(sources: ["m.yaml"])
    }
    for line in text.split(separator: "\n").prefix(8) { _ = try? SweepAxis(parsing: String(line)) }
    if let shard = try? SweepShardFile.read(text, file: "fuzz.jsonl"),
        let result = try? SweepShardFile.merge([("fuzz.jsonl", shard)])
    {
        _ = SweepReport.table(result)
        _ = SweepReport.csv(result)
        _ = SweepReport.jsonLines(result)
    }
    return 0
}
