import NetLabCore
import NetLabSpec
import RealModule

/// Reads a topology file (JSON) into a validated ``Topology``. The format is documented in
/// `docs/topology.md`, with a JSON Schema in `docs/topology.schema.json`.
public enum TopologyReader {
    /// Parses and validates `text`, read from `file` (the name is used in error messages only).
    /// With `requireFlows` false (traffic injected from outside, as a replayed trace) `flows` may be absent;
    /// with `requireGroupings` false (the advisor, which finds groupings) `groupings` may be.
    /// - Throws: ``SpecError`` naming the file, line:column, JSON path, the problem and the fix.
    public static func read(_ text: String, file: String, requireFlows: Bool = true, requireGroupings: Bool = true)
        throws(SpecError) -> Topology
    {
        try read(
            document: try document(text, file: file), file: file, requireFlows: requireFlows,
            requireGroupings: requireGroupings)
    }

    /// The parsed but unvalidated tree of a topology file (JSON, or YAML for `.yaml`/`.yml`), for
    /// tools that change values before reading it (`netlab sweep --set`).
    public static func document(_ text: String, file: String) throws(SpecError) -> JSONNode {
        try SpecDocument.parse(text, file: file)
    }

    /// Validates a tree from ``document(_:file:)``, perhaps changed since.
    public static func read(
        document root: JSONNode, file: String, requireFlows: Bool = true, requireGroupings: Bool = true
    ) throws(SpecError) -> Topology {
        try SpecReader(file: file).topology(root, requireFlows: requireFlows, requireGroupings: requireGroupings)
    }
}

extension SpecReader {
    func topology(_ root: JSONNode, requireFlows: Bool = true, requireGroupings: Bool = true) throws(SpecError)
        -> Topology
    {
        let top = try object(root, "", what: "a topology")
        try top.rejectUnknownKeys([
            "name", "duration", "warmup", "seed", "profile", "cluster", "containers", "flows", "groupings", "same_host",
            "separate", "replica_spread", "backlog_limit",
        ])
        let name =
            try top.optional("name").map { node throws(SpecError) in
                try self.name(node, "name", what: "the topology name")
            } ?? "topology"
        let duration =
            try top.optional("duration").map { node throws(SpecError) in try self.duration(node, "duration") }
            ?? .seconds(1)
        guard duration > .zero else {
            throw fail(top.optional("duration"), "duration", "the duration must be positive", fix: "give e.g. \"2s\"")
        }
        guard duration <= Topology.longestRun else {
            throw fail(
                top.optional("duration"), "duration", "a run of \(duration) is longer than netlab simulates",
                fix: "give at most 30 days (\"2592000s\")")
        }
        let warmup =
            try top.optional("warmup").map { node throws(SpecError) in try self.duration(node, "warmup") } ?? .zero
        guard warmup < duration else {
            throw fail(
                top.optional("warmup"), "warmup",
                "the warm-up (\(warmup)) is not shorter than the duration (\(duration))",
                fix: "make the warm-up shorter than the duration")
        }
        let seed =
            try top.optional("seed").map { node throws(SpecError) in
                UInt64(try integer(node, "seed", what: "the seed", range: 0...Int.max))
            } ?? 1
        let (profileName, overrides) = try profile(top.optional("profile"))
        let cluster = try cluster(
            try top.required("cluster", fix: "add \"cluster\": {\"nodes\": [{\"name\": \"node-a\"}]}"))
        let containersNode = try top.required("containers", fix: "add \"containers\": [\"web\", \"sidecar\"]")
        var containers = try containers(containersNode)
        try scalingRules(containersNode, containers: &containers)
        let flowsNode =
            requireFlows || top.optional("flows") != nil
            ? try top.required("flows", fix: "add \"flows\": [{\"from\": ..., \"to\": ..., \"pattern\": \"rpc\", ...}]")
            : nil
        let flows = try flowsNode.map { node throws(SpecError) in try self.flows(node, containers: containers) } ?? []
        let rules = try placementRules(top, containers: containers, cluster: cluster, flows: flows)
        let groupingsNode =
            requireGroupings || top.optional("groupings") != nil
            ? try top.required("groupings", fix: "add \"groupings\": [{\"name\": ..., \"pods\": [...]}]") : nil
        let groupings =
            try groupingsNode.map { node throws(SpecError) in
                try self.groupings(node, containers: containers, cluster: cluster)
            } ?? []
        var topology = Topology(
            name: name, duration: duration, warmup: warmup, seed: seed, profileName: profileName,
            profileOverrides: overrides,
            cluster: cluster, containers: containers, flows: flows, groupings: groupings)
        topology.placementRules = rules
        if let node = top.optional("backlog_limit") {
            topology.backlogLimit = try integer(
                node, "backlog_limit", what: "messages and calls in flight", range: 1_000...100_000_000)
        }
        if let flowsNode { try checkTransports(&topology, flowsNode: flowsNode) }
        return topology
    }

    /// A profile name, or `{"base", "overrides"}`; a calibrated profile file may also carry what
    /// `netlab calibrate` recorded (`provenance`, `fit`, `cases`, `replay_check`), which does not change the figures.
    func profile(_ node: JSONNode?, allowingCalibration: Bool = false) throws(SpecError) -> (String, [String: Double]) {
        guard let node else { return ("linux-default", [:]) }
        if case .string = node.value { return (try name(node, "profile", what: "the profile name"), [:]) }
        let fields = try object(node, "profile", what: "a profile")
        try fields.rejectUnknownKeys(
            ["base", "overrides"] + (allowingCalibration ? ["provenance", "fit", "cases", "replay_check"] : []))
        let base =
            try fields.optional("base").map { node throws(SpecError) in
                try name(node, "profile.base", what: "the base profile")
            } ?? "linux-default"
        var overrides: [String: Double] = [:]
        if let overridesNode = fields.optional("overrides") {
            let members = try object(overridesNode, "profile.overrides", what: "profile overrides")
            for (key, value) in members.members {
                let path = members.child(key)
                guard let field = CostProfile.Field(rawValue: key) else {
                    try members.rejectUnknownKeys(CostProfile.Field.allCases.map(\.rawValue))
                    continue
                }
                if let spread = field.spreadField, case .object = value.value {
                    let (median, sigma) = try lognormalCost(value, path)
                    overrides[key] = median
                    overrides[spread.rawValue] = sigma
                } else {
                    overrides[key] = try field.value(from: value, path: path, reader: self)
                }
            }
        }
        return (base, overrides)
    }

    /// A host cost given with its spread, `{"lognormal": {"median": "2.6us", "sigma": 0.35}}`: the
    /// median in picoseconds and the sigma.
    func lognormalCost(_ node: JSONNode, _ path: String) throws(SpecError) -> (Double, Double) {
        let fix = "write a duration, or {\"lognormal\": {\"median\": \"2.6us\", \"sigma\": 0.35}}"
        switch try distribution(node, path, .time) {
        case .constant(let value):
            return (value, 0)
        case .lognormal(let mu, let sigma):
            let median = Double.exp(mu)
            guard median <= 1e13, sigma <= 2 else {
                throw fail(node, path, "a host cost of median \(median)ps and sigma \(sigma) is absurd", fix: fix)
            }
            return (median.rounded(), sigma)
        default:
            throw fail(node, path, "a host cost's spread is a lognormal around its median", fix: fix)
        }
    }

    /// A one-way latency of a link: at most a second.
    func oneWayLatency(_ node: JSONNode, _ path: String, what: String) throws(SpecError) -> SimDuration {
        let value = try duration(node, path, what: what)
        guard value <= .seconds(1) else {
            throw fail(
                node, path, "\(what) of \(value) is absurd", fix: "give at most 1s (across a continent is ~50ms)")
        }
        return value
    }

    func cluster(_ node: JSONNode) throws(SpecError) -> Cluster {
        let fields = try object(node, "cluster", what: "the cluster")
        try fields.rejectUnknownKeys(["nodes", "fabric", "overlay", "mtu"])
        let mtu =
            try fields.optional("mtu").map { node throws(SpecError) in
                try bytes(node, "cluster.mtu", what: "the MTU").bytes
            } ?? 1500
        guard (576...65_535).contains(mtu) else {
            throw fail(
                fields.optional("mtu"), "cluster.mtu", "MTU \(mtu)B is out of range",
                fix: "use 576B to 65535B (1500B is Ethernet's, 9000B jumbo)")
        }
        let nodeItems = try array(
            try fields.required("nodes", fix: "add \"nodes\": [{\"name\": \"node-a\", \"cores\": 4}]"), "cluster.nodes",
            what: "the nodes")
        guard !nodeItems.isEmpty else {
            throw fail(fields.optional("nodes"), "cluster.nodes", "no nodes", fix: "list at least one node")
        }
        var nodes: [Node] = []
        for (index, item) in nodeItems.enumerated() {
            let path = "cluster.nodes[\(index)]"
            let nodeFields = try object(item, path, what: "a node")
            try nodeFields.rejectUnknownKeys(["name", "cores", "nic", "zone", "latency", "netfilter", "host"])
            let name = try name(
                try nodeFields.required("name", fix: "add \"name\""), nodeFields.child("name"), what: "the node name")
            if nodes.contains(where: { $0.name == name }) {
                throw fail(
                    nodeFields.optional("name"), nodeFields.child("name"), "node \"\(name)\" is defined twice",
                    fix: "give each node a unique name")
            }
            let cores =
                try nodeFields.optional("cores").map { node throws(SpecError) in
                    try integer(node, nodeFields.child("cores"), what: "cores", range: 1...1024)
                } ?? 4
            var rate = BitRate(bitsPerSecond: 10_000_000_000), buffer = ByteCount(bytes: 1 << 20)
            var shaping: TokenBucket?
            var interruptDelay: SimDuration?
            if let nic = nodeFields.optional("nic") {
                let nicFields = try object(nic, nodeFields.child("nic"), what: "the NIC")
                try nicFields.rejectUnknownKeys(["rate", "buffer", "shaping", "interrupt_delay"])
                if let value = nicFields.optional("interrupt_delay") {
                    interruptDelay = try oneWayLatency(
                        value, nicFields.child("interrupt_delay"), what: "the interrupt delay")
                }
                if let value = nicFields.optional("shaping") {
                    shaping = try tokenBucket(value, nicFields.child("shaping"))
                }
                if let value = nicFields.optional("rate") {
                    rate = try bitRate(value, nicFields.child("rate"), what: "the NIC rate")
                }
                if let value = nicFields.optional("buffer") {
                    buffer = try bytes(value, nicFields.child("buffer"), what: "the NIC buffer")
                }
                guard rate.bitsPerSecond > 0 else {
                    throw fail(
                        nicFields.optional("rate"), nicFields.child("rate"), "the NIC rate is zero",
                        fix: "give e.g. \"10Gbps\"")
                }
                guard buffer.bytes >= mtu + 100 else {
                    throw fail(
                        nicFields.optional("buffer"), nicFields.child("buffer"),
                        "the buffer holds less than one packet",
                        fix: "give at least the MTU plus headers, e.g. \"256KiB\"")
                }
            }
            var node = Node(name: name, cores: cores, nicRate: rate, nicBuffer: buffer)
            node.nicShaping = shaping
            node.nicInterruptDelay = interruptDelay
            if let value = nodeFields.optional("netfilter") {
                guard case .bool(let runs) = value.value else {
                    throw fail(
                        value, nodeFields.child("netfilter"), "netfilter must be true or false",
                        fix: "write \"netfilter\": false for a node whose bridge passes no iptables rules")
                }
                node.runsNetfilter = runs
            }
            if let value = nodeFields.optional("latency") {
                node.uplinkLatency = try oneWayLatency(value, nodeFields.child("latency"), what: "the uplink latency")
            }
            if let value = nodeFields.optional("zone") {
                node.zone = try self.name(value, nodeFields.child("zone"), what: "a zone name")
            }
            if let value = nodeFields.optional("host") {
                let host = try self.name(value, nodeFields.child("host"), what: "a host name")
                if let other = nodes.first(where: { $0.host == host }), other.cores != cores {
                    throw fail(
                        nodeFields.optional("cores") ?? value, nodeFields.child("cores"),
                        "node \"\(name)\" has \(cores) cores but shares host \"\(host)\" with node \"\(other.name)\", which has \(other.cores)",
                        fix: "give every node on host \"\(host)\" the host's core count")
                }
                node.host = host
            }
            nodes.append(node)
        }
        var fabric = Fabric(
            portRate: nodes[0].nicRate, latency: .microseconds(1), portBuffer: ByteCount(bytes: 1 << 20))
        if let fabricNode = fields.optional("fabric") {
            let fabricFields = try object(fabricNode, "cluster.fabric", what: "the fabric")
            try fabricFields.rejectUnknownKeys(["rate", "latency", "buffer", "zone_latency"])
            if let value = fabricFields.optional("zone_latency") {
                fabric.interZoneLatency = try oneWayLatency(
                    value, fabricFields.child("zone_latency"), what: "the latency between zones")
                guard Set(nodes.compactMap(\.zone)).count >= 2 else {
                    throw fail(
                        value, fabricFields.child("zone_latency"), "a latency between zones, but fewer than two zones",
                        fix: "give nodes a \"zone\" (two zones at least), or drop \"zone_latency\"")
                }
            }
            if let value = fabricFields.optional("rate") {
                fabric.portRate = try bitRate(value, fabricFields.child("rate"), what: "the port rate")
            }
            if let value = fabricFields.optional("latency") {
                fabric.latency = try duration(value, fabricFields.child("latency"), what: "the latency")
                guard fabric.latency <= .seconds(1) else {
                    throw fail(
                        value, "cluster.fabric.latency", "a switch hop of \(fabric.latency) is absurd",
                        fix: "give at most 1s (a datacentre hop is microseconds)")
                }
            }
            if let value = fabricFields.optional("buffer") {
                fabric.portBuffer = try bytes(value, fabricFields.child("buffer"), what: "the port buffer")
            }
            guard fabric.portRate.bitsPerSecond > 0 else {
                throw fail(
                    fabricFields.optional("rate"), "cluster.fabric.rate", "the port rate is zero",
                    fix: "give e.g. \"25Gbps\"")
            }
            guard fabric.portBuffer.bytes >= mtu + 100 else {
                throw fail(
                    fabricFields.optional("buffer"), "cluster.fabric.buffer", "the buffer holds less than one packet",
                    fix: "give at least the MTU plus headers")
            }
        }
        let overlay = try overlay(fields.optional("overlay"), zones: Set(nodes.compactMap(\.zone)).count)
        return Cluster(nodes: nodes, fabric: fabric, overlay: overlay, mtu: mtu)
    }

    func containers(_ node: JSONNode) throws(SpecError) -> [Container] {
        let items = try array(node, "containers", what: "the containers")
        guard !items.isEmpty else {
            throw fail(node, "containers", "no containers", fix: "list at least two containers")
        }
        var containers: [Container] = []
        var names: Set<String> = []
        for (index, item) in items.enumerated() {
            let path = "containers[\(index)]"
            var container: Container
            if case .string = item.value {
                container = Container(name: try name(item, path, what: "a container name"), cpu: 0)
            } else {
                let fields = try object(item, path, what: "a container (a name, or {\"name\", \"cpu\", ...})")
                try fields.rejectUnknownKeys([
                    "name", "cpu", "threads", "cpuset", "wait", "replicas", "scaling", "scales_with", "image",
                    "bandwidth", "ports",
                ])
                container = Container(
                    name: try name(
                        try fields.required("name", fix: "add \"name\""), fields.child("name"),
                        what: "the container name"),
                    cpu: try fields.optional("cpu").map { node throws(SpecError) in
                        try real(node, fields.child("cpu"), what: "cpu (cores requested)", minimum: 0, maximum: 1024)
                    } ?? 0,
                    threads: try fields.optional("threads").map { node throws(SpecError) in
                        try integer(node, fields.child("threads"), what: "threads", range: 1...1024)
                    } ?? 1,
                    cpuset: try fields.optional("cpuset").map { node throws(SpecError) in
                        try cpuset(node, fields.child("cpuset"))
                    } ?? [],
                    wait: try fields.optional("wait").map { node throws(SpecError) in
                        try waitMode(node, fields.child("wait"))
                    })
            }
            if case .object = item.value {
                let fields = try object(item, path, what: "a container")
                if let image = fields.optional("image") {
                    container.image = try string(image, "\(path).image", what: "an image reference")
                }
                if let limits = fields.optional("bandwidth") {
                    container.bandwidth = try bandwidthLimits(limits, "\(path).bandwidth")
                }
                if let ports = fields.optional("ports") {
                    container.ports = try containerPorts(ports, "\(path).ports")
                }
            }
            if !names.insert(container.name).inserted {
                throw fail(
                    item, path, "container \"\(container.name)\" is defined twice",
                    fix: "give each container a unique name")
            }
            containers.append(container)
        }
        return containers
    }

    /// A container's ports: each a number (`8080`) or the number and its Service's port
    /// (`{"container_port": 8080, "service_port": 80}`).
    func containerPorts(_ node: JSONNode, _ path: String) throws(SpecError) -> [ContainerPort] {
        var ports: [ContainerPort] = []
        for (slot, item) in try array(node, path, what: "a list of ports").enumerated() {
            let itemPath = "\(path)[\(slot)]"
            let port: ContainerPort
            if case .object = item.value {
                let fields = try object(item, itemPath, what: "a port")
                try fields.rejectUnknownKeys(["container_port", "service_port"])
                port = ContainerPort(
                    try integer(
                        try fields.required("container_port", fix: "add \"container_port\""),
                        fields.child("container_port"), what: "a port number", range: 1...65_535),
                    servicePort: try fields.optional("service_port").map { node throws(SpecError) in
                        try integer(node, fields.child("service_port"), what: "a port number", range: 1...65_535)
                    })
            } else {
                port = ContainerPort(try integer(item, itemPath, what: "a port number", range: 1...65_535))
            }
            guard !ports.contains(where: { $0.number == port.number }) else {
                throw fail(item, itemPath, "port \(port.number) is listed twice", fix: "list each port once")
            }
            ports.append(port)
        }
        return ports
    }

    /// A cpuset: core numbers of the node, as a list (`[0, 2]`) or in `taskset -c` form (`"0-1,3"`).
    func cpuset(_ node: JSONNode, _ path: String) throws(SpecError) -> [Int] {
        var cores: [Int] = []
        let fix = "list core numbers from 0, e.g. [0, 1] or \"0-1,3\""
        if case .string(let text) = node.value {
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map {
                    Int(String($0.filter { $0 != " " }))
                }
                guard (1...2).contains(bounds.count), let low = bounds.first ?? nil, let high = bounds.last ?? nil,
                    low >= 0, low <= high
                else {
                    throw fail(node, path, "\"\(part)\" is not a core or a range of cores", fix: fix)
                }
                guard high <= 1023 else {
                    throw fail(node, path, "cpuset core \(high) is beyond 63", fix: "list cores of the node, 0 to 63")
                }
                cores += Array(low...high)
            }
        } else {
            for (slot, item) in try array(node, path, what: "a cpuset").enumerated() {
                cores.append(try integer(item, "\(path)[\(slot)]", what: "a core number", range: 0...1023))
            }
        }
        guard !cores.isEmpty else { throw fail(node, path, "an empty cpuset", fix: fix) }
        guard cores.allSatisfy({ $0 < 64 }) else {
            throw fail(
                node, path, "cpuset core \(cores.max()!) is beyond 63",
                fix: "netlab pins to cores 0-63; leave \"cpuset\" out to run on any core")
        }
        guard Set(cores).count == cores.count else {
            throw fail(node, path, "a core is listed twice", fix: "list each core once")
        }
        return cores.sorted()
    }

    func waitMode(_ node: JSONNode, _ path: String) throws(SpecError) -> WaitMode {
        let text = try string(node, path, what: "a wait mode")
        guard let mode = WaitMode(rawValue: text) else {
            throw fail(
                node, path, "unknown wait mode \"\(text)\"",
                fix: "use \"block\" (sleep until woken) or \"poll\" (spin on a core)")
        }
        return mode
    }

    /// Container indices by name, for O(1) references.
    func containerLookup(_ containers: [Container]) -> [String: Int] {
        Dictionary(containers.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func containerReference(_ node: JSONNode, _ path: String, containers: [Container], lookup: [String: Int])
        throws(SpecError) -> Int
    {
        let text = try string(node, path, what: "a container name")
        guard let index = lookup[text] else {
            let hint = didYouMean(text, among: containers.map(\.name))
            throw fail(
                node, path, "unknown container \"\(text)\"",
                fix: "\(hint)containers are: \(containers.map(\.name).joined(separator: ", "))")
        }
        return index
    }
}
