import NetLabCore

/// A validated topology: the cluster, the containers, the traffic between them, and the
/// alternative groupings to compare. Names are resolved to integer indices; every value has its unit.
public struct Topology: Sendable {
    public var name: String
    public var duration: SimDuration
    /// Time at the start excluded from statistics.
    public var warmup: SimDuration
    public var seed: UInt64
    public var profileName: String
    public var profileOverrides: [String: Double]
    public var cluster: Cluster
    public var containers: [Container]
    public var flows: [Flow]
    public var groupings: [Grouping]
    /// Where containers must or must not go (used by `netlab advise`).
    public var placementRules = PlacementRules()
    /// The most messages and calls a run keeps in flight at once (`backlog_limit`); past it,
    /// open-loop arrivals are refused and counted as lost, so that an overloaded run keeps its
    /// memory flat however long it lasts.
    public var backlogLimit = 1_000_000

    public func containerIndex(named name: String) -> Int? { containers.firstIndex { $0.name == name } }
}

public struct Cluster: Sendable {
    public var nodes: [Node]
    public var fabric: Fabric
    public var overlay: Overlay
    /// The largest IP packet a pod interface carries (Ethernet payload).
    public var mtu: Int64

    /// The encapsulation of packets between nodes `source` and `destination`: the cluster's
    /// overlay, or none within one node and, for an overlay between zones, within one zone.
    public func overlay(from source: Int, to destination: Int) -> Overlay {
        guard source != destination, overlay.between == .nodes || nodes[source].zone != nodes[destination].zone
        else { return Overlay(kind: .none, headerBytes: 0, cpuPerPacket: nil) }
        return overlay
    }
}

public struct Node: Sendable {
    public var name: String
    public var cores: Int
    public var nicRate: BitRate
    public var nicBuffer: ByteCount
    /// One-way latency of its own link to the switch, each way, beyond the fabric's hop (a node
    /// in another rack or room).
    public var uplinkLatency = SimDuration.zero
    /// Its zone (a failure domain: an availability zone, a site); nodes in different zones are
    /// `Fabric.interZoneLatency` further apart.
    public var zone: String?
    /// The machine it runs on when nodes share one (a kind or k3d cluster, whose nodes are
    /// containers of one host; VMs pinned to the same cores), or nil for a machine of its own.
    /// Nodes on one host share its cores: their processes and kernel work compete for them.
    public var host: String?
    /// A token-bucket shaper on its NIC's egress (`tc qdisc add dev eth0 root tbf …`): traffic
    /// leaving the node waits in it before the NIC's queue.
    public var nicShaping: TokenBucket?
    /// How long its NIC holds received packets before the host sees them (interrupt coalescing,
    /// `ethtool -c` rx-usecs), or nil for the profile's `nic_interrupt_delay`; 0 for a NIC without
    /// coalescing or a veth standing in for one.
    public var nicInterruptDelay: SimDuration?
    /// Whether packets its bridge forwards pass netfilter (conntrack, kube-proxy's iptables rules):
    /// not on a plain bridge, nor with a dataplane that bypasses iptables (an eBPF CNI replacing
    /// kube-proxy).
    public var runsNetfilter = true

    public init(name: String, cores: Int, nicRate: BitRate, nicBuffer: ByteCount) {
        self.name = name
        self.cores = cores
        self.nicRate = nicRate
        self.nicBuffer = nicBuffer
    }
}

/// What joins the nodes: one switch, each node on its own port.
public struct Fabric: Sendable {
    public var portRate: BitRate
    /// One-way latency of each switch hop, wire included.
    public var latency: SimDuration
    public var portBuffer: ByteCount
    /// Extra one-way latency between nodes of different zones.
    public var interZoneLatency = SimDuration.zero
}

public struct Overlay: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case none, vxlan, geneve }
    /// Which node pairs the overlay encapsulates: every pair, or only nodes of different zones
    /// (routed natively within a zone, as Calico's `CrossSubnet` mode or Cilium's native routing
    /// within a subnet do).
    public enum Scope: String, Sendable, CaseIterable { case nodes, zones }
    public var kind: Kind
    public var between = Scope.nodes
    /// Encapsulation bytes added to each packet between nodes.
    public var headerBytes: Int64
    /// CPU time to encapsulate (sender) and to decapsulate (receiver), per packet, when the
    /// topology sets it; nil takes the profile's figure for the kind (zero under `ideal`).
    public var cpuPerPacket: SimDuration?
}

public struct Container: Sendable {
    public var name: String
    /// Cores the container requests; a node must hold the requests of all replicas placed on it.
    public var cpu: Double
    /// Threads of its process: each does one piece of work (a send, a receive, a request's
    /// server time) at a time.
    public var threads: Int
    /// Cores of its node the process may run on (`taskset`/cpuset); empty: any.
    public var cpuset: [Int]
    /// How its threads wait for data; nil takes the profile's default for each transport.
    public var wait: WaitMode?
    /// Instances the container runs as, when the topology says; a pod's replica count must
    /// equal that of every container in it.
    public var replicas: Int?
    /// Whether it scales with others or on its own.
    public var scaling = Scaling.unspecified
    /// Its container image, when known (kept for `netlab export k8s`; the model does not use it).
    public var image: String?
    /// Shapers on its pod's interface (a pod with several limited containers takes the slowest).
    public var bandwidth = BandwidthLimits()
    /// The ports it listens on, when known (kept for `netlab export k8s`; the model does not use
    /// them).
    public var ports: [ContainerPort] = []

    public init(name: String, cpu: Double, threads: Int = 1, cpuset: [Int] = [], wait: WaitMode? = nil) {
        self.name = name
        self.cpu = cpu
        self.threads = threads
        self.cpuset = cpuset
        self.wait = wait
    }

    /// Whether this container and `other` (at index `otherIndex`; this one at `index`) scale as
    /// one: neither scales independently and one names the other in `scales_with`.
    public func scalesTogether(_ index: Int, with other: Container, at otherIndex: Int) -> Bool {
        if case .with(let list) = scaling, list.contains(otherIndex) { return true }
        if case .with(let list) = other.scaling, list.contains(index) { return true }
        return false
    }
}

/// How a thread waits for data: asleep in the kernel until woken, or spinning on its core.
public enum WaitMode: String, Sendable, CaseIterable {
    case block, poll
}

/// TCP's congestion control: RFC 5681 Reno (with SACK recovery), RFC 9438 CUBIC (Linux's
/// default) or BBR v1 (paced; the default of some distributions and clouds).
public enum CongestionControl: String, Sendable, CaseIterable {
    case reno, cubic, bbr

    /// Its number in a profile override: 0 reno, 1 cubic, 2 bbr.
    public var number: Double { Double(Self.allCases.firstIndex(of: self)!) }

    /// The congestion control numbered `number` (see ``number``).
    public init?(number: Double) {
        guard let index = Self.allCases.indices.first(where: { Double($0) == number }) else { return nil }
        self = Self.allCases[index]
    }
}

/// How bytes move between two containers.
public enum Transport: String, Sendable, CaseIterable {
    case tcp, udp, uds
    case udsDatagram = "uds-dgram"
    case pipe, shm

    /// Its place in `allCases`, for sets of transports kept as bits.
    public var bit: UInt8 {
        switch self {
        case .tcp: 0
        case .udp: 1
        case .uds: 2
        case .udsDatagram: 3
        case .pipe: 4
        case .shm: 5
        }
    }

    /// Transports that need a shared network namespace, filesystem or IPC namespace: one pod.
    public var needsSharedPod: Bool { self == .uds || self == .udsDatagram || self == .pipe || self == .shm }

}

/// A port a container listens on, and the port its Service offers for it (the same when nil).
public struct ContainerPort: Sendable, Equatable {
    public var number: Int
    public var servicePort: Int?

    public init(_ number: Int, servicePort: Int? = nil) {
        self.number = number
        self.servicePort = servicePort
    }
}

/// Traffic between two containers.
public struct Flow: Sendable {
    public var name: String
    public var from: Int
    public var to: Int
    public var transport: Transport
    /// The transport to use when `transport` needs one pod and the grouping splits the pair.
    public var fallback: Transport?
    public var pattern: Pattern
    /// Per-flow socket settings; nil fields take the profile's.
    public var tuning = Tuning()
    /// What the flow must achieve in a grouping (its service-level objective), if anything.
    public var objective = ServiceLevelObjective()
    /// Open-loop flows: when the first message leaves (nil: one drawn interval after time zero).
    /// Staggered starts keep constant-rate flows from all colliding at the same instants.
    /// Streams: when writing begins (nil: time zero).
    public var start: SimDuration?

    /// Limits a flow must meet: a p99 latency, a throughput, a loss ratio. Nil: no limit.
    public struct ServiceLevelObjective: Sendable {
        public var p99: SimDuration?
        public var throughput: BitRate?
        /// Largest share of offered messages lost or undelivered, from 0 to 1.
        public var loss: Double?

        public init() {}
        public var isEmpty: Bool { p99 == nil && throughput == nil && loss == nil }
    }

    /// Socket settings a flow may set for itself.
    public struct Tuning: Sendable {
        public var congestionControl: CongestionControl?
        /// Send buffer (TCP `SO_SNDBUF`, Unix socket, pipe capacity), bytes.
        public var sendBuffer: Int64?
        /// Receive buffer (TCP window, UDP `SO_RCVBUF`), bytes.
        public var receiveBuffer: Int64?
        /// Nagle's algorithm: hold a small segment while data is unacknowledged. Off by default
        /// (`TCP_NODELAY`), as latency-sensitive services set it.
        public var nagle = false
        /// Each call opens a new TCP connection (handshake, then slow start from the initial
        /// window) instead of reusing one (`"connection": "per-call"`).
        public var perCallConnection = false

        public init() {}
    }

    public enum Pattern: Sendable {
        /// Request/response: the latency of a call runs from sending the request to receiving all of the response.
        case rpc(RPC)
        /// One-way messages: latency runs from sending to the receiver having all of it.
        case oneway(size: Distribution, arrivals: Arrivals)
        /// Bulk transfer of `bytes` (nil: for the whole run), as fast as the path allows.
        case stream(bytes: Int64?)
        /// Messages handed to the model from outside (`GroupingRun.inject`), each measured from
        /// its injection to its delivery; deliveries come back through `takeDeliveries()`.
        case injected
    }

    public init(name: String, from: Int, to: Int, transport: Transport, fallback: Transport? = nil, pattern: Pattern) {
        self.name = name
        self.from = from
        self.to = to
        self.transport = transport
        self.fallback = fallback
        self.pattern = pattern
    }

    public struct RPC: Sendable {
        public var request: Distribution
        public var response: Distribution
        public var arrivals: Arrivals
        /// Time the server works on each request (on its node's CPU) before responding.
        public var serverTime: Distribution
    }

    /// How messages or calls start.
    public enum Arrivals: Sendable {
        /// Open loop: independent of completions, gaps drawn from the distribution (picoseconds).
        case open(interval: Distribution)
        /// Closed loop: `callers` each wait for their call to finish, then think.
        case closed(callers: Int, think: Distribution)
    }
}

/// One assignment of containers to pods and of pod replicas to nodes.
public struct Grouping: Sendable {
    public var name: String
    public var pods: [Pod] {
        didSet { podOfContainer = Self.index(pods, containerCount: podOfContainer.count) }
    }
    /// Pod index of each container, -1 where none holds it.
    private var podOfContainer: [Int]

    public init(name: String, pods: [Pod], containerCount: Int) {
        self.name = name
        self.pods = pods
        podOfContainer = Self.index(pods, containerCount: containerCount)
    }

    private static func index(_ pods: [Pod], containerCount: Int) -> [Int] {
        var index = Array(repeating: -1, count: containerCount)
        for (pod, value) in pods.enumerated() {
            for container in value.containers where container < containerCount { index[container] = pod }
        }
        return index
    }

    /// The pod holding container `container`.
    /// - Complexity: O(1).
    public func podIndex(of container: Int) -> Int {
        podOfContainer[container]
    }
}

public struct Pod: Sendable {
    public var name: String
    public var containers: [Int]
    /// Node of each replica; its count is the replica count.
    public var replicaNodes: [Int]

    public init(name: String, containers: [Int], replicaNodes: [Int]) {
        self.name = name
        self.containers = containers
        self.replicaNodes = replicaNodes
    }
}
