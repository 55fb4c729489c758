import NetLabCore
import NetLabModel
import NetLabStats
import NetLabTrace

/// The container name that stands for everything outside the cluster.
public let externalName = "external"

extension ReplayPlan {
    /// Adds the `external` container on a node of its own, "outside", joined to the cluster by
    /// the switch like any node: traffic to it leaves through its peer's NIC and the fabric.
    static func addExternal(to topology: inout Topology) {
        let container = topology.containers.count
        topology.containers.append(Container(name: externalName, cpu: 0))
        let node = topology.cluster.nodes.count
        topology.cluster.nodes.append(
            Node(
                name: "outside", cores: 64, nicRate: topology.cluster.fabric.portRate,
                nicBuffer: topology.cluster.fabric.portBuffer))
        topology.groupings = topology.groupings.map { grouping in
            Grouping(
                name: grouping.name,
                pods: grouping.pods + [Pod(name: externalName, containers: [container], replicaNodes: [node])],
                containerCount: topology.containers.count)
        }
    }
}

/// What to do with trace endpoints the map does not cover.
public enum UnmappedPolicy: String, Sendable, CaseIterable {
    /// Refuse, listing them with their packet counts.
    case error
    /// Leave their conversations out (and say so in a warning).
    case ignore
}

/// The first pass over a trace: its conversations, which containers they join, and the topology
/// whose flows are those container pairs.
public struct ReplayPlan: Sendable {
    public var trace: String
    /// The one capturing interface replayed (`--interface`), nil for all.
    public var interface: String?
    /// The topology with one `.injected` flow per (client container, server container, protocol).
    public var topology: Topology
    /// Per conversation (in the trace's order): its flow, or -1 when left out.
    public var conversationFlow: [Int32]
    public var summary: TraceSummary
    public var warnings: [String]

    /// Per flow: the TCP handshake round trips the capture shows for its conversations.
    public var handshakeRTTs: [LatencyHistogram] {
        var histograms = Array(repeating: LatencyHistogram(), count: topology.flows.count)
        for (index, conversation) in summary.conversations.enumerated() where conversationFlow[index] >= 0 {
            if let rtt = conversation.handshakeRTTNanoseconds {
                histograms[Int(conversationFlow[index])].record(picoseconds: rtt * 1000)
            }
        }
        return histograms
    }

    public var firstTimestamp: Int64 { summary.firstNanoseconds ?? 0 }

    /// Reads the trace once (only `interface`'s packets, when given) and maps its conversations
    /// onto `topology`'s containers.
    /// - Throws: ``ReplayError`` for an unreadable trace, a map naming unknown containers, or
    ///   unmapped endpoints (unless `unmapped` is `.ignore`).
    public static func prepare(
        trace: String, interface: String? = nil, map: ReplayMap, topology given: Topology, unmapped: UnmappedPolicy
    ) throws(ReplayError) -> ReplayPlan {
        var topology = given
        if map.rules.contains(where: { $0.container == externalName }),
            topology.containerIndex(named: externalName) == nil
        {
            addExternal(to: &topology)
        }
        for rule in map.rules where topology.containerIndex(named: rule.container) == nil {
            throw ReplayError(
                location: "\(map.file):\(rule.line):\(rule.column)",
                problem: "container \"\(rule.container)\" is not in the topology",
                fix:
                    "use one of \(topology.containers.map(\.name).joined(separator: ", ")) or \"\(externalName)\" (outside the cluster), or add it to the topology's containers"
            )
        }
        let summary: TraceSummary
        do { summary = try TraceInspector.inspect(path: trace, interface: interface) } catch {
            throw ReplayError(error)
        }
        if let damage = summary.damage {
            throw ReplayError(damage)
        }
        var unmappedPackets: [IPAddress: Int] = [:]
        var flows: [Flow] = []
        var flowIndex: [String: Int] = [:]
        var conversationFlow: [Int32] = []
        var warnings: [String] = []
        var sameContainer = 0
        for conversation in summary.conversations {
            let a = map.container(for: conversation.a), b = map.container(for: conversation.b)
            if a == nil { unmappedPackets[conversation.a.address, default: 0] += conversation.packets }
            if b == nil { unmappedPackets[conversation.b.address, default: 0] += conversation.packets }
            guard let a, let b, a != b else {
                if a != nil && a == b { sameContainer += 1 }
                conversationFlow.append(-1)
                continue
            }
            let name = "\(a)->\(b)/\(conversation.proto.name)"
            if flowIndex[name] == nil {
                flowIndex[name] = flows.count
                flows.append(
                    Flow(
                        name: name, from: topology.containerIndex(named: a)!, to: topology.containerIndex(named: b)!,
                        transport: conversation.proto == .tcp ? .tcp : .udp, pattern: .injected))
            }
            // The flow's client is the conversation's endpoint A, the side that sent first.
            conversationFlow.append(Int32(flowIndex[name]!))
        }
        if !unmappedPackets.isEmpty {
            let listed = unmappedPackets.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            let text =
                listed.prefix(10).map { "\($0.key) (\($0.value) packets)" }.joined(separator: ", ")
                + (listed.count > 10 ? ", ..." : "")
            switch unmapped {
            case .error:
                throw ReplayError(
                    location: map.file, problem: "\(listed.count) trace address(es) are not in the map: \(text)",
                    fix:
                        "add them to the map (netlab replay --suggest-map TRACE writes a starter), or pass --unmapped ignore"
                )
            case .ignore:
                warnings.append("left out the conversations of \(listed.count) unmapped address(es): \(text)")
            }
        }
        if sameContainer > 0 {
            warnings.append("left out \(sameContainer) conversation(s) whose two ends map to the same container")
        }
        guard !flows.isEmpty else {
            throw ReplayError(
                location: trace, problem: "no TCP or UDP conversation joins two mapped containers",
                fix: "check that the map's addresses are those in the trace (netlab inspect TRACE lists them)")
        }
        var replayTopology = topology
        replayTopology.flows = flows
        replayTopology.warmup = .zero
        return ReplayPlan(
            trace: trace, interface: interface, topology: replayTopology, conversationFlow: conversationFlow,
            summary: summary, warnings: warnings + summary.warnings)
    }
}
