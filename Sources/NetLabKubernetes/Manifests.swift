import Foundation
import NetLabModel
import NetLabSpec

/// A workload read from the manifests: its pod template's containers, its replicas, the labels
/// its pods carry (what Services select).
public struct Workload: Sendable {
    /// A container of the pod template: one of its containers, or a native sidecar (an init
    /// container with `restartPolicy: Always`).
    public struct Container: Sendable {
        public var name: String
        public var image: String?
        /// Cores requested (`resources.requests.cpu`).
        public var cpu: Double
        /// Its `containerPort`s, in order.
        public var ports: [Int]
    }

    /// `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`, `Job` or `Pod`.
    public var kind: String
    public var name: String
    public var containers: [Container]
    /// Nil for a DaemonSet: one replica per node.
    public var replicas: Int?
    /// The labels of its pods (the template's), which Services select.
    public var labels: [String: String]
    /// Its pods' bandwidth annotations, shaped on the pod's interface as the bandwidth CNI plugin does.
    public var bandwidth = BandwidthAnnotations()
}

/// A Service: the pods its selector matches, and which container port each of its ports reaches.
public struct Service: Sendable {
    public var name: String
    /// The labels a pod must carry to be behind it.
    public var selector: [String: String]
    /// The container ports its ports send to (numeric ones).
    public var targetPorts: [Int]
    /// The port the Service offers for each numeric target port.
    public var portByTarget: [Int: Int] = [:]
    /// Where it was read, for errors.
    var file: String
    var document: Int
}

/// Everything read from a set of manifest files, and what was left out.
public struct Manifests: Sendable {
    /// In the order read: files, then documents.
    public var workloads: [Workload] = []
    /// In the order read.
    public var services: [Service] = []
    /// What was skipped, in words ("ConfigMap app-config (kind not modelled)", ...).
    public var skipped: [String] = []

    /// Nothing read yet.
    public init() {}

    static let workloadKinds = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]

    /// Reads `paths` (files, or folders whose .yaml/.yml/.json files are read in name order). A
    /// file found in a folder that is not a manifest (a topology, a traffic file, a values file)
    /// is skipped whole and named in `skipped`; a file named itself must be a manifest.
    public static func read(_ paths: [String]) throws(KubernetesError) -> Manifests {
        var manifests = Manifests()
        for (file, inFolder) in try files(paths) {
            let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int ?? 0
            guard size <= 256 * 1_048_576 else {
                throw KubernetesError(
                    file: file, path: "", problem: "is \(size / 1_048_576) MiB, more than a manifest may be",
                    fix: "give manifests of at most 256 MiB")
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw KubernetesError(
                    file: file, path: "", problem: "cannot be read", fix: "check the path and its permissions")
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                if inFolder {
                    manifests.skipped.append("file \(file) (not a Kubernetes manifest: not UTF-8 text)")
                    continue
                }
                throw KubernetesError(
                    file: file, path: "", problem: "is not UTF-8 text", fix: "save the manifest as UTF-8")
            }
            guard inFolder else {
                try manifests.add(text: text, file: file)
                continue
            }
            var tried = manifests
            do {
                try tried.add(text: text, file: file)
                manifests = tried
            } catch {
                manifests.skipped.append("file \(file) (not a Kubernetes manifest: \(error.problem))")
            }
        }
        guard !manifests.workloads.isEmpty else {
            throw KubernetesError(
                file: paths.joined(separator: ", "), path: "",
                problem: "no workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet or Job) in the manifests",
                fix: "give the manifests of the application's workloads")
        }
        return manifests
    }

    /// Adds the objects of one manifest file's text.
    public mutating func add(text: String, file: String) throws(KubernetesError) {
        let documents: [(index: Int, root: JSONNode)]
        do { documents = try YAMLDocument.parseAll(text, file: file) } catch { throw KubernetesError(error) }
        for (index, root) in documents { try add(root, file: file, document: index) }
    }

    /// The files of `paths`, each with whether it was found in a folder (rather than named).
    static func files(_ paths: [String]) throws(KubernetesError) -> [(file: String, inFolder: Bool)] {
        var files: [(file: String, inFolder: Bool)] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw KubernetesError(file: path, path: "", problem: "no such file or folder", fix: "check the path")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { [".yaml", ".yml", ".json"].contains(where: $0.hasSuffix) }.sorted().map {
                    ((path as NSString).appendingPathComponent($0), true)
                }
            } else {
                files.append((path, false))
            }
        }
        return files
    }

    mutating func add(_ root: JSONNode, file: String, document: Int) throws(KubernetesError) {
        let reader = ManifestReader(file: file, document: document)
        guard case .object = root.value else {
            throw reader.fail(
                root, "", "not a Kubernetes object (a mapping with apiVersion and kind)",
                fix: "give Kubernetes manifests")
        }
        guard let kind = reader.string(root, "kind") else {
            throw reader.fail(root, "kind", "no \"kind\": not a Kubernetes object", fix: "give Kubernetes manifests")
        }
        if kind == "List", let items = reader.child(root, "items"), case .array(let list) = items.value {
            for item in list { try add(item, file: file, document: document) }
            return
        }
        let name = reader.string(root, "metadata.name") ?? "(unnamed)"
        if kind == "Service" {
            services.append(try reader.service(root, name: name))
        } else if Self.workloadKinds.contains(kind) {
            guard let given = reader.string(root, "metadata.name"), NameRule.accepts(given) else {
                throw reader.fail(
                    reader.child(root, "metadata.name") ?? root, "metadata.name",
                    "\(kind) \(name == "(unnamed)" ? "without a name" : "named \"\(name)\", not a valid name")",
                    fix: "name it with letters, digits, '-', '_' or '.' (a DNS name, as Kubernetes requires)")
            }
            let (workload, skippedInits) = try reader.workload(root, kind: kind, name: name)
            if workloads.contains(where: { $0.name == workload.name }) {
                throw reader.fail(
                    root, "metadata.name", "a second workload named \"\(name)\"",
                    fix: "give each workload a unique name")
            }
            workloads.append(workload)
            skipped += skippedInits.map { "init container \($0) of \(kind) \(name) (runs before the pod starts)" }
        } else {
            skipped.append("\(kind) \(name) (kind not modelled)")
        }
    }
}

/// Reads values out of one manifest document, failing with its place.
struct ManifestReader {
    let file: String
    let document: Int

    func fail(_ node: JSONNode?, _ path: String, _ problem: String, fix: String) -> KubernetesError {
        KubernetesError(file: file, node: node, document: document, path: path, problem: problem, fix: fix)
    }

    func child(_ node: JSONNode, _ path: String) -> JSONNode? {
        var current = node
        for key in path.split(separator: ".") {
            guard case .object(let members) = current.value, let next = members.first(where: { $0.key == key })?.value
            else { return nil }
            current = next
        }
        return current
    }

    func string(_ node: JSONNode, _ path: String) -> String? {
        switch child(node, path)?.value {
        case .string(let text)?: text
        case .number(let text)?: text
        case .bool(let value)?: "\(value)"
        default: nil
        }
    }

    func labels(_ node: JSONNode?) -> [String: String] {
        guard let node, case .object(let members) = node.value else { return [:] }
        var labels: [String: String] = [:]
        for (key, value) in members {
            switch value.value {
            case .string(let text), .number(let text): labels[key] = text
            case .bool(let flag): labels[key] = "\(flag)"
            default: break
            }
        }
        return labels
    }

    func service(_ root: JSONNode, name: String) throws(KubernetesError) -> Service {
        var ports: [Int] = []
        var portByTarget: [Int: Int] = [:]
        if let list = child(root, "spec.ports"), case .array(let items) = list.value {
            for item in items {
                let port = string(item, "port").flatMap(Int.init)
                if let target = string(item, "targetPort").flatMap(Int.init) ?? port {
                    ports.append(target)
                    if let port, (1...65_535).contains(port), portByTarget[target] == nil {
                        portByTarget[target] = port
                    }
                }
            }
        }
        var service = Service(
            name: name, selector: labels(child(root, "spec.selector")), targetPorts: ports, file: file,
            document: document)
        service.portByTarget = portByTarget
        return service
    }

    func workload(_ root: JSONNode, kind: String, name: String) throws(KubernetesError) -> (Workload, [String]) {
        let specPath = kind == "Pod" ? "spec" : "spec.template.spec"
        let labelsPath = kind == "Pod" ? "metadata.labels" : "spec.template.metadata.labels"
        guard let spec = child(root, specPath) else {
            throw fail(root, specPath, "\(kind) \(name) has no pod spec", fix: "add \(specPath).containers")
        }
        var containers: [Workload.Container] = []
        var skipped: [String] = []
        if let list = child(spec, "initContainers"), case .array(let items) = list.value {
            for (index, item) in items.enumerated() {
                let path = "\(specPath).initContainers[\(index)]"
                let container = try self.container(item, path: path)
                // Native sidecars (Kubernetes 1.29+) run beside the app for the pod's whole life.
                if string(item, "restartPolicy") == "Always" {
                    containers.append(container)
                } else {
                    skipped.append(container.name)
                }
            }
        }
        guard let list = child(spec, "containers"), case .array(let items) = list.value, !items.isEmpty else {
            throw fail(spec, "\(specPath).containers", "\(kind) \(name) has no containers", fix: "list its containers")
        }
        var main: [Workload.Container] = []
        for (index, item) in items.enumerated() {
            main.append(try container(item, path: "\(specPath).containers[\(index)]"))
        }
        containers = main + containers
        var replicas: Int? = 1
        switch kind {
        case "DaemonSet": replicas = nil
        case "Pod": replicas = 1
        case "Job": replicas = try count(root, "spec.parallelism") ?? 1
        default: replicas = try count(root, "spec.replicas") ?? 1
        }
        var workload = Workload(
            kind: kind, name: name, containers: containers, replicas: replicas, labels: labels(child(root, labelsPath)))
        workload.bandwidth = try bandwidth(
            root, annotationsPath: kind == "Pod" ? "metadata.annotations" : "spec.template.metadata.annotations")
        return (workload, skipped)
    }

    func count(_ root: JSONNode, _ path: String) throws(KubernetesError) -> Int? {
        guard let node = child(root, path) else { return nil }
        guard case .number(let text) = node.value, let value = Int(text), (0...1000).contains(value) else {
            throw fail(node, path, "not a replica count from 0 to 1000", fix: "give a whole number")
        }
        return max(value, 1)
    }

    func container(_ node: JSONNode, path: String) throws(KubernetesError) -> Workload.Container {
        guard let name = string(node, "name"), !name.isEmpty else {
            throw fail(node, "\(path).name", "a container without a name", fix: "name it")
        }
        // Blamed here, on the manifest, not later on the imported topology's traffic file.
        guard NameRule.accepts(name) else {
            throw fail(
                child(node, "name") ?? node, "\(path).name", "\"\(name)\" is not a valid container name",
                fix: "use letters, digits, '-', '_' or '.' (a DNS label, as Kubernetes requires)")
        }
        var cpu = 0.0
        if let request = child(node, "resources.requests.cpu") {
            let text: String
            switch request.value {
            case .string(let value), .number(let value): text = value
            default:
                throw fail(request, "\(path).resources.requests.cpu", "not a CPU quantity", fix: "write e.g. 500m or 2")
            }
            guard let value = Self.cores(text) else {
                throw fail(
                    request, "\(path).resources.requests.cpu", "\"\(text)\" is not a CPU quantity",
                    fix: "write millicores (500m) or cores (2, 0.5)")
            }
            cpu = value
        }
        var ports: [Int] = []
        if let list = child(node, "ports"), case .array(let items) = list.value {
            ports = items.compactMap { string($0, "containerPort").flatMap(Int.init) }
        }
        return Workload.Container(name: name, image: string(node, "image"), cpu: cpu, ports: ports)
    }

    /// Cores from a Kubernetes CPU quantity: `500m`, `2`, `0.5`.
    static func cores(_ text: String) -> Double? {
        let value = text.hasSuffix("m") ? Double(text.dropLast()).map { $0 / 1000 } : Double(text)
        guard let value, value.isFinite, value >= 0, value <= 1024 else { return nil }
        return value
    }
}
