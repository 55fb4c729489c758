import NetLabCore
import NetLabSpec

extension TopologyReader {
    /// The keys a flow of each pattern may have (docs/topology.schema.json lists the same).
    package static let flowKeys: [String: [String]] = {
        let common = [
            "name", "from", "to", "pattern", "transport", "fallback", "congestion_control", "send_buffer",
            "receive_buffer", "nagle", "slo",
        ]
        return [
            "rpc": common + [
                "request", "response", "rate", "interval", "callers", "think", "server_time", "start", "connection",
            ],
            "oneway": common + ["size", "rate", "interval", "start"],
            "stream": common + ["bytes", "start"],
        ]
    }()
}

extension SpecReader {
    func flows(_ node: JSONNode, containers: [Container]) throws(SpecError) -> [Flow] {
        let items = try array(node, "flows", what: "the flows")
        guard !items.isEmpty else { throw fail(node, "flows", "no flows", fix: "list at least one flow") }
        var flows: [Flow] = []
        // Sized once: a cluster's flows run to megabytes, which growing by doubling would hold
        // up to twice over for the whole run.
        flows.reserveCapacity(items.count)
        var names: Set<String> = []
        let lookup = containerLookup(containers)
        for (index, item) in items.enumerated() {
            let path = "flows[\(index)]"
            let fields = try object(item, path, what: "a flow")
            let patternText = try string(
                try fields.required("pattern", fix: "add \"pattern\": \"rpc\", \"oneway\" or \"stream\""),
                fields.child("pattern"), what: "the pattern")
            switch TopologyReader.flowKeys[patternText] {
            case let keys?: try fields.rejectUnknownKeys(keys)
            case nil:
                throw fail(
                    fields.optional("pattern"), fields.child("pattern"), "unknown pattern \"\(patternText)\"",
                    fix: "use rpc, oneway or stream")
            }
            let from = try containerReference(
                try fields.required("from", fix: "add \"from\": a container name"), fields.child("from"),
                containers: containers, lookup: lookup)
            let to = try containerReference(
                try fields.required("to", fix: "add \"to\": a container name"), fields.child("to"),
                containers: containers, lookup: lookup)
            guard from != to else {
                throw fail(
                    fields.optional("to"), fields.child("to"), "a flow from \"\(containers[from].name)\" to itself",
                    fix: "name two different containers")
            }
            let name =
                try fields.optional("name").map { node throws(SpecError) in
                    try self.name(node, fields.child("name"), what: "the flow name")
                }
                ?? "\(containers[from].name)->\(containers[to].name)"
            if !names.insert(name).inserted {
                throw fail(
                    fields.optional("name") ?? item, fields.child("name"), "flow \"\(name)\" is defined twice",
                    fix: "give each flow a unique \"name\"")
            }
            let chosen = try transport(fields.optional("transport"), fields.child("transport")) ?? .tcp
            let fallback = try self.transport(fields.optional("fallback"), fields.child("fallback"))
            if let fallback, fallback.needsSharedPod {
                throw fail(
                    fields.optional("fallback"), fields.child("fallback"),
                    "the fallback \(fallback.rawValue) also needs one pod", fix: "use tcp or udp as the fallback")
            }
            let pattern: Flow.Pattern
            switch patternText {
            case "rpc":
                let request = try distribution(
                    try fields.required("request", fix: "add \"request\": a size such as \"200B\""),
                    fields.child("request"), .bytes)
                let response = try distribution(
                    try fields.required("response", fix: "add \"response\": a size such as \"1KiB\""),
                    fields.child("response"), .bytes)
                let serverTime =
                    try fields.optional("server_time").map { node throws(SpecError) in
                        try distribution(node, fields.child("server_time"), .time)
                    } ?? .constant(0)
                pattern = .rpc(
                    Flow.RPC(
                        request: request, response: response, arrivals: try arrivals(fields, allowClosed: true),
                        serverTime: serverTime))
            case "oneway":
                let size = try distribution(
                    try fields.required("size", fix: "add \"size\": a size such as \"512B\""), fields.child("size"),
                    .bytes)
                pattern = .oneway(size: size, arrivals: try arrivals(fields, allowClosed: false))
            default:
                let bytes = try fields.optional("bytes").map { node throws(SpecError) in
                    try self.bytes(node, fields.child("bytes"), what: "the stream size").bytes
                }
                if let bytes, bytes <= 0 {
                    throw fail(
                        fields.optional("bytes"), fields.child("bytes"), "an empty stream",
                        fix: "give a positive size, or leave \"bytes\" out to stream for the whole run")
                }
                if chosen == .udp {
                    throw fail(
                        fields.optional("transport"), fields.child("transport"),
                        "a udp stream has no rate limit and no recovery",
                        fix: "use tcp for bulk streams, or a oneway flow with a rate for UDP")
                }
                pattern = .stream(bytes: bytes)
            }
            var flow = Flow(name: name, from: from, to: to, transport: chosen, fallback: fallback, pattern: pattern)
            flow.tuning = try tuning(fields)
            if let node = fields.optional("connection") {
                let text = try string(node, fields.child("connection"), what: "\"per-call\" or \"persistent\"")
                guard text == "per-call" || text == "persistent" else {
                    throw fail(
                        node, fields.child("connection"), "unknown connection \"\(text)\"",
                        fix: "use \"persistent\" (one connection kept open) or \"per-call\" (a new one per call)")
                }
                guard text == "persistent" || chosen == .tcp || (fallback ?? .tcp) == .tcp && chosen.needsSharedPod
                else {
                    throw fail(
                        node, fields.child("connection"),
                        "per-call connections are TCP's; this flow uses \(chosen.rawValue)",
                        fix: "use tcp, or drop \"connection\"")
                }
                flow.tuning.perCallConnection = text == "per-call"
            }
            if let start = fields.optional("start") {
                if case .rpc(let rpc) = pattern, case .closed = rpc.arrivals {
                    throw fail(
                        start, fields.child("start"), "\"start\" applies to open-loop flows (rate or interval)",
                        fix: "remove \"start\", or give a \"rate\" instead of \"callers\"")
                }
                flow.start = try duration(start, fields.child("start"), what: "the start time")
            }
            if let slo = fields.optional("slo") { flow.objective = try objective(slo, fields.child("slo")) }
            flows.append(flow)
        }
        return flows
    }

    func transport(_ node: JSONNode?, _ path: String) throws(SpecError) -> Transport? {
        guard let node else { return nil }
        let text = try string(node, path, what: "a transport")
        guard let transport = Transport(rawValue: text) else {
            throw fail(
                node, path, "unknown transport \"\(text)\"",
                fix: "use tcp, udp, or inside one pod uds, uds-dgram, pipe or shm")
        }
        return transport
    }

    /// A flow's service-level objective: `{"p99": "300us", "throughput": "1Gbps", "loss": "0.1%"}`.
    func objective(_ node: JSONNode, _ path: String) throws(SpecError) -> Flow.ServiceLevelObjective {
        let fields = try object(node, path, what: "a service-level objective")
        try fields.rejectUnknownKeys(["p99", "throughput", "loss"])
        var objective = Flow.ServiceLevelObjective()
        if let value = fields.optional("p99") {
            objective.p99 = try duration(value, fields.child("p99"), what: "a p99 latency")
        }
        if let value = fields.optional("throughput") {
            objective.throughput = try bitRate(value, fields.child("throughput"), what: "a throughput")
        }
        if let value = fields.optional("loss") {
            let text = try string(value, fields.child("loss"), what: "a loss ratio")
            guard let share = Share.fraction(text), share <= 1 else {
                throw fail(value, fields.child("loss"), "\"\(text)\" is not a percentage", fix: "write e.g. \"0.1%\"")
            }
            objective.loss = share
        }
        guard !objective.isEmpty else {
            throw fail(
                node, path, "an empty objective",
                fix: "give \"p99\", \"throughput\" or \"loss\", e.g. {\"p99\": \"300us\"}")
        }
        return objective
    }

    /// A flow's own socket settings.
    func tuning(_ fields: Object) throws(SpecError) -> Flow.Tuning {
        var tuning = Flow.Tuning()
        if let node = fields.optional("congestion_control") {
            let text = try string(node, fields.child("congestion_control"), what: "a congestion control")
            guard let value = CongestionControl(rawValue: text) else {
                throw fail(
                    node, fields.child("congestion_control"), "unknown congestion control \"\(text)\"",
                    fix: "use \"cubic\" (Linux's default), \"bbr\" or \"reno\"")
            }
            tuning.congestionControl = value
        }
        for key in ["send_buffer", "receive_buffer"] {
            guard let node = fields.optional(key) else { continue }
            let bytes = try self.bytes(node, fields.child(key), what: "a buffer size").bytes
            guard (4096...(1 << 30)).contains(bytes) else {
                throw fail(
                    node, fields.child(key), "a \(bytes)B buffer is out of range",
                    fix: "use 4KiB to 1GiB (Linux's defaults are in docs/profiles.md)")
            }
            if key == "send_buffer" { tuning.sendBuffer = bytes } else { tuning.receiveBuffer = bytes }
        }
        if let node = fields.optional("nagle") {
            guard case .bool(let value) = node.value else {
                throw fail(node, fields.child("nagle"), "nagle must be true or false", fix: "write \"nagle\": true")
            }
            tuning.nagle = value
        }
        return tuning
    }

    func arrivals(_ fields: Object, allowClosed: Bool) throws(SpecError) -> Flow.Arrivals {
        let rate = fields.optional("rate"), interval = fields.optional("interval"), callers = fields.optional("callers")
        let given = [rate, interval, callers].compactMap { $0 }.count
        let forms =
            allowClosed
            ? "give one of \"rate\": \"2000/s\" (Poisson), \"interval\": a duration distribution, or \"callers\": N (closed loop, with optional \"think\")"
            : "give \"rate\": \"2000/s\" (Poisson) or \"interval\": a duration distribution"
        guard given == 1 else {
            throw fail(
                fields.node, fields.path, given == 0 ? "no arrival process" : "more than one arrival process",
                fix: forms)
        }
        if let rate {
            let value = try eventRate(rate, fields.child("rate"))
            guard value.perSecond >= 1e-6, value.perSecond <= 1e9 else {
                throw fail(
                    rate, fields.child("rate"), "rate \(value) is out of range",
                    fix: "use a rate from 1e-6/s (one per 11.6 days) to 1e9/s")
            }
            return .open(interval: .exponential(mean: Double(value.meanInterval.picoseconds)))
        }
        if let interval {
            let distribution = try distribution(interval, fields.child("interval"), .time)
            guard let mean = distribution.mean, mean >= 1000 else {
                throw fail(
                    interval, fields.child("interval"), "the mean interval is below 1ns (or infinite)",
                    fix: "use a mean interval of at least 1ns")
            }
            return .open(interval: distribution)
        }
        guard allowClosed, let callers else { throw fail(fields.node, fields.path, "no arrival process", fix: forms) }
        if !allowClosed {
            throw fail(callers, fields.child("callers"), "closed-loop callers apply to rpc flows only", fix: forms)
        }
        let count = try integer(callers, fields.child("callers"), what: "callers", range: 1...100_000)
        let think =
            try fields.optional("think").map { node throws(SpecError) in
                try distribution(node, fields.child("think"), .time)
            } ?? .constant(0)
        return .closed(callers: count, think: think)
    }

    func groupings(_ node: JSONNode, containers: [Container], cluster: Cluster) throws(SpecError) -> [Grouping] {
        let items = try array(node, "groupings", what: "the groupings")
        guard !items.isEmpty else { throw fail(node, "groupings", "no groupings", fix: "list at least one grouping") }
        var groupings: [Grouping] = []
        // Built once: a cluster's groupings have thousands of pods.
        let lookup = containerLookup(containers)
        for (index, item) in items.enumerated() {
            let path = "groupings[\(index)]"
            let fields = try object(item, path, what: "a grouping")
            try fields.rejectUnknownKeys(["name", "pods"])
            let name = try name(
                try fields.required("name", fix: "add \"name\""), fields.child("name"), what: "the grouping name")
            if groupings.contains(where: { $0.name == name }) {
                throw fail(
                    fields.optional("name"), fields.child("name"), "grouping \"\(name)\" is defined twice",
                    fix: "give each grouping a unique name")
            }
            let podItems = try array(
                try fields.required("pods", fix: "add \"pods\": [{\"containers\": [...], \"node\": ...}]"),
                fields.child("pods"), what: "the pods")
            var pods: [Pod] = []
            var podNames: Set<String> = []
            var podOfContainer: [Int: Int] = [:]
            for (podIndex, podItem) in podItems.enumerated() {
                let podPath = "\(path).pods[\(podIndex)]"
                let pod = try pod(podItem, podPath, containers: containers, lookup: lookup, cluster: cluster)
                for (slot, container) in pod.containers.enumerated() {
                    if let other = podOfContainer[container] {
                        throw fail(
                            nil, "\(podPath).containers[\(slot)]",
                            "container \"\(containers[container].name)\" is already in pod \"\(pods[other].name)\" of grouping \"\(name)\"",
                            fix: "put each container in exactly one pod per grouping"
                        ).located(at: podItem)
                    }
                    podOfContainer[container] = podIndex
                }
                guard podNames.insert(pod.name).inserted else {
                    throw fail(
                        podItem, podPath, "pod \"\(pod.name)\" is defined twice in grouping \"\(name)\"",
                        fix: "give each pod a unique \"name\"")
                }
                pods.append(pod)
            }
            let missing = containers.indices.filter { podOfContainer[$0] == nil }
            guard missing.isEmpty else {
                throw fail(
                    fields.optional("pods"), fields.child("pods"),
                    "grouping \"\(name)\" places no pod for \(missing.map { "\"\(containers[$0].name)\"" }.joined(separator: ", "))",
                    fix: "put every container in exactly one pod of each grouping")
            }
            if let problem = cluster.placementProblem(of: pods, containers: containers, grouping: name) {
                throw fail(fields.optional("pods"), fields.child("pods"), problem.problem, fix: problem.fix)
            }
            groupings.append(Grouping(name: name, pods: pods, containerCount: containers.count))
        }
        return groupings
    }

    func pod(
        _ node: JSONNode, _ path: String, containers: [Container], lookup: [String: Int], cluster: Cluster
    ) throws(SpecError) -> Pod {
        let fields = try object(node, path, what: "a pod")
        try fields.rejectUnknownKeys(["name", "containers", "replicas", "node", "nodes"])
        let members = try array(
            try fields.required("containers", fix: "add \"containers\": [names]"), fields.child("containers"),
            what: "the pod's containers")
        guard !members.isEmpty else {
            throw fail(node, fields.child("containers"), "an empty pod", fix: "list at least one container")
        }
        var indices: [Int] = []
        for (slot, member) in members.enumerated() {
            let index = try containerReference(
                member, "\(fields.child("containers"))[\(slot)]", containers: containers, lookup: lookup)
            if indices.contains(index) {
                throw fail(
                    member, "\(fields.child("containers"))[\(slot)]",
                    "container \"\(containers[index].name)\" listed twice", fix: "list it once")
            }
            indices.append(index)
        }
        let name =
            try fields.optional("name").map { node throws(SpecError) in
                try self.name(node, fields.child("name"), what: "the pod name")
            }
            ?? indices.map { containers[$0].name }.joined(separator: "+")
        let replicas = try fields.optional("replicas").map { node throws(SpecError) in
            try integer(node, fields.child("replicas"), what: "replicas", range: 1...1000)
        }
        func nodeIndex(_ item: JSONNode, _ itemPath: String) throws(SpecError) -> Int {
            let text = try string(item, itemPath, what: "a node name")
            guard let index = cluster.nodes.firstIndex(where: { $0.name == text }) else {
                throw fail(
                    item, itemPath, "unknown node \"\(text)\"",
                    fix: "nodes are: \(cluster.nodes.map(\.name).joined(separator: ", "))")
            }
            return index
        }
        var replicaNodes: [Int]
        switch (fields.optional("node"), fields.optional("nodes")) {
        case (.some, .some):
            throw fail(
                node, path, "both \"node\" and \"nodes\"",
                fix: "use \"node\" for all replicas on one node, or \"nodes\" with one node per replica")
        case (.some(let single), nil):
            replicaNodes = Array(repeating: try nodeIndex(single, fields.child("node")), count: replicas ?? 1)
        case (nil, .some(let list)):
            let items = try array(list, fields.child("nodes"), what: "one node per replica")
            replicaNodes = []
            for (slot, item) in items.enumerated() {
                replicaNodes.append(try nodeIndex(item, "\(fields.child("nodes"))[\(slot)]"))
            }
            if let replicas, replicas != replicaNodes.count {
                throw fail(
                    list, fields.child("nodes"), "\(replicas) replicas but \(replicaNodes.count) nodes listed",
                    fix: "list one node per replica, or drop \"replicas\"")
            }
            guard !replicaNodes.isEmpty else {
                throw fail(list, fields.child("nodes"), "no nodes listed", fix: "list one node per replica")
            }
        case (nil, nil):
            guard cluster.nodes.count == 1 else {
                throw fail(
                    node, path, "pod \"\(name)\" has no node",
                    fix: "add \"node\": one of \(cluster.nodes.map(\.name).joined(separator: ", "))")
            }
            replicaNodes = Array(repeating: 0, count: replicas ?? 1)
        }
        return Pod(name: name, containers: indices, replicaNodes: replicaNodes)
    }

    /// Flows whose transport needs one pod must have their containers in one pod in every grouping,
    /// unless a fallback is given.
    func checkTransports(_ topology: inout Topology, flowsNode: JSONNode) throws(SpecError) {
        let items = try array(flowsNode, "flows", what: "the flows")
        for (index, flow) in topology.flows.enumerated() where flow.transport.needsSharedPod && flow.fallback == nil {
            for grouping in topology.groupings where grouping.podIndex(of: flow.from) != grouping.podIndex(of: flow.to)
            {
                var node = items[index]
                if case .object(let members) = node.value,
                    let transportNode = members.first(where: { $0.key == "transport" })?.value
                {
                    node = transportNode
                }
                throw fail(
                    node, "flows[\(index)].transport",
                    "\(flow.transport.rawValue) between \"\(topology.containers[flow.from].name)\" and \"\(topology.containers[flow.to].name)\" needs one pod, but grouping \"\(grouping.name)\" puts them in different pods",
                    fix: "add \"fallback\": \"tcp\" to use TCP where they are split, or use tcp")
            }
        }
    }
}

extension SpecError {
    /// The same error, placed at `node` if it had no line yet.
    func located(at node: JSONNode) -> SpecError {
        var copy = self
        if copy.line == nil {
            copy.line = node.line
            copy.column = node.column
        }
        return copy
    }
}
