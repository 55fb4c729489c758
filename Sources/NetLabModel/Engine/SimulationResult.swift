import NetLabCore
import NetLabStats

/// What one grouping did: per flow, per node, per link.
public struct GroupingResult: Sendable {
    public struct FlowResult: Sendable {
        public var name: String
        public var from: String
        public var to: String
        /// The path class; where replicas make the flow take several, the most used one.
        public var path: PathClass
        /// Connections per path class, when the flow's replicas take more than one.
        public var pathMix: [(PathClass, Int)]
        /// Messages (rpc: calls) started after the warm-up and completed before the end.
        public var messages: Int64
        /// Payload bytes of those messages (rpc: request and response); for streams, every byte
        /// delivered after the warm-up.
        public var bytes: Int64
        /// Messages (calls) the application started after the warm-up, finished or not, and
        /// their bytes: the offered load, equal in every grouping (common random numbers).
        public var offeredMessages: Int64
        public var offeredBytes: Int64
        /// Packets of this flow dropped at full queues after the warm-up.
        public var dropped: Int64
        /// UDP messages lost (one of their datagrams dropped).
        public var lostMessages: Int64
        public var retransmissions: Int64
        public var latency: LatencyHistogram
        /// Where the latency went, stage by stage (``Stage``), over the same messages.
        public var breakdown = LatencyBreakdown()
        public var throughputBitsPerSecond: Double
        /// Its backlog (messages started and neither delivered nor lost) grew through the whole
        /// run: an unstable queue, whose latency reflects the run's length, not a steady state.
        public var unstable: Bool
        /// The flow's objective's misses in this grouping: nil without an objective, empty when met.
        public var objectiveMisses: [String]? = nil
        /// The flow's objective, when it has one (replicated runs judge it on their means).
        public var objective: Flow.ServiceLevelObjective? = nil
    }

    public struct NodeResult: Sendable {
        public var name: String
        public var cpuUtilization: Double
        /// The busiest of its cores that no polling thread holds (a hot core: work bound to it,
        /// such as readers woken where their writer ran, queues there while others idle).
        public var busiestCoreUtilization = 0.0
    }

    public struct LinkResult: Sendable {
        public var name: String
        public var utilization: Double
        public var dropped: Int64
    }

    /// How busy a container's threads were: its busiest replica's working time over its
    /// threads' time in the measurement window (1: every thread always working).
    public struct ContainerLoad: Sendable {
        public var name: String
        public var threads: Int
        public var threadUtilization: Double
    }

    public var name: String
    public var flows: [FlowResult]
    public var nodes: [NodeResult]
    public var links: [LinkResult]
    public var containers: [ContainerLoad] = []
    public var events: UInt64
    /// What the user should know to read the numbers: unstable flows, containers that could not poll.
    public var warnings: [String]
    /// What limits the grouping's figures: a container whose threads, a node whose cores or a
    /// link that is busy at least ``GroupingResult/saturation`` of the time, so that work queues
    /// for it; said by name, with the remedy.
    public var limits: [Limit] = []

    /// The busy share from which a resource is named as a limit: past it, queueing for it
    /// dominates the latency of what passes through it.
    public static let saturation = 0.9
    /// What the grouping takes from the cluster: pods, nodes holding at least one replica, and
    /// those nodes' cores.
    public var pods = 0
    public var nodesUsed = 0
    public var coresUsed = 0
}

/// The results of `netlab simulate`: every grouping asked for, on the same traffic.
public struct SimulationResult: Sendable {
    public var topology: String
    public var seed: UInt64
    public var duration: SimDuration
    public var warmup: SimDuration
    public var profile: String
    public var groupings: [GroupingResult]

    public init(
        topology: String, seed: UInt64, duration: SimDuration, warmup: SimDuration, profile: String,
        groupings: [GroupingResult]
    ) {
        self.topology = topology
        self.seed = seed
        self.duration = duration
        self.warmup = warmup
        self.profile = profile
        self.groupings = groupings
    }
}

extension GroupingRun {
    /// Frees what only the running simulation needs (connection halves and their rings, lanes,
    /// BBR state, packets, messages and calls in flight), before the results are built.
    mutating func releaseTrafficState() {
        halves = []
        pacers = []
        lanes = []
        packets = Pool()
        messages = Pool()
        calls = Pool()
        works = Pool()
        deliveries = []
    }

    /// Collects the counters of a finished run.
    func result(events: UInt64) -> GroupingResult {
        let window = max(1, (end - warmupEnd).picoseconds)
        let seconds = Double(window) / 1e12
        var flows: [GroupingResult.FlowResult] = []
        flows.reserveCapacity(topology.flows.count)
        for (index, flow) in topology.flows.enumerated() {
            var counts: [PathClass: Int] = [:]
            for connection in flowConnections[index] { counts[connections[Int(connection)].pathClass, default: 0] += 1 }
            let ordered = PathClass.allCases.compactMap { path in counts[path].map { (path, $0) } }
            let main = ordered.max { $0.1 < $1.1 }!.0
            let tally = tallies[index]
            var unstable = false
            if case .stream = flow.pattern {
            } else if tally.backlog.samples == 4, tally.backlog.rising {
                unstable = tally.backlog.last > max(10, tally.offeredMessages / 20)
            }
            flows.append(
                GroupingResult.FlowResult(
                    name: flow.name, from: topology.containers[flow.from].name, to: topology.containers[flow.to].name,
                    path: main, pathMix: ordered.count > 1 ? ordered : [], messages: tally.messages, bytes: tally.bytes,
                    offeredMessages: tally.offeredMessages, offeredBytes: tally.offeredBytes,
                    dropped: tally.droppedPackets, lostMessages: tally.lostMessages,
                    retransmissions: tally.retransmissions,
                    latency: tally.latency, throughputBitsPerSecond: Double(tally.bytes) * 8 / seconds,
                    unstable: unstable))
            flows[flows.count - 1].breakdown = tally.breakdown
        }
        var warnings = self.warnings
        for (index, tally) in tallies.enumerated() where tally.refusedArrivals > 0 {
            let at = SimDuration(picoseconds: tally.firstRefusal.picoseconds)
            warnings.append(
                "flow \"\(topology.flows[index].name)\": from \(at) on, \(topology.backlogLimit) messages and calls were in flight (backlog_limit), so \(tally.refusedArrivals) of its arrivals were refused and counted as lost: the offered load exceeds what the grouping carries"
            )
        }
        for flow in flows where flow.unstable {
            let waiting = flow.offeredMessages - flow.messages - flow.lostMessages
            warnings.append(
                "flow \"\(flow.name)\": its backlog grew through the whole run (\(waiting) messages waiting at the end); the path cannot carry the offered load, so its latency reflects the run's length"
            )
        }
        let nodes = topology.cluster.nodes.enumerated().map { index, node in
            let pool = pools[poolOfNode[index]]
            let range = Int(pool.first)..<Int(pool.first + pool.count)
            // A polling thread keeps its core busy the whole time.
            let busy = cores[range].reduce(0.0) { $0 + ($1.dedicated ? Double(window) : Double($1.busyPicoseconds)) }
            var result = GroupingResult.NodeResult(
                name: node.name, cpuUtilization: busy / (Double(window) * Double(node.cores)))
            result.busiestCoreUtilization =
                (cores[range].filter { !$0.dedicated }.map(\.busyPicoseconds).max()).map { Double($0) / Double(window) }
                ?? 0
            return result
        }
        let links = links.map {
            GroupingResult.LinkResult(
                name: $0.name, utilization: Double($0.busyPicoseconds) / Double(window), dropped: $0.drops)
        }
        var result = GroupingResult(
            name: grouping.name, flows: flows, nodes: nodes, links: links, events: events, warnings: warnings)
        result.containers = topology.containers.indices.map { container in
            let busiest =
                endpointsOfContainer[container].map {
                    Double(endpoints[$0].busyPicoseconds) / Double(endpoints[$0].threads)
                }.max() ?? 0
            return GroupingResult.ContainerLoad(
                name: topology.containers[container].name, threads: topology.containers[container].threads,
                threadUtilization: busiest / Double(window))
        }
        result.limits = result.saturatedResources()
        let usedNodes = Set(grouping.pods.flatMap(\.replicaNodes))
        result.pods = grouping.pods.count
        result.nodesUsed = usedNodes.count
        result.coresUsed = usedNodes.reduce(0) { $0 + topology.cluster.nodes[$1].cores }
        for (index, flow) in topology.flows.enumerated() where !flow.objective.isEmpty {
            result.flows[index].objectiveMisses = result.objectiveMisses(ofFlow: index, in: topology)
            result.flows[index].objective = flow.objective
        }
        return result
    }
}
