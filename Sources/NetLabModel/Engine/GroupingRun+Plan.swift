import NetLabCore

extension GroupingRun {
    /// One core pool per node; per node a NIC link and the switch port that sends to it, each
    /// serialising at the slower of its two ends, and the shaper on the NIC's egress if it has one.
    mutating func buildCoresAndLinks() {
        let cluster = topology.cluster
        var poolOfHost: [String: Int] = [:]
        for (index, node) in cluster.nodes.enumerated() {
            if let host = node.host, let shared = poolOfHost[host] {
                poolOfNode.append(shared)
                continue
            }
            let pool = pools.count
            if let host = node.host { poolOfHost[host] = pool }
            poolOfNode.append(pool)
            pools.append(CorePool(first: Int32(cores.count), count: Int32(node.cores), freeCores: Int32(node.cores)))
            for _ in 0..<node.cores {
                pools[pool].idle.append(Int32(cores.count))
                nodeOfCore.append(index)
                cores.append(Core(listedIdle: true))
            }
            pools[pool].idle.reverse()
        }
        for (index, node) in cluster.nodes.enumerated() {
            let portRate = cluster.fabric.portRate
            nicLink.append(Int32(links.count))
            links.append(
                Link(
                    name: "\(node.name)/nic-tx", rate: min(node.nicRate, portRate), bufferBytes: node.nicBuffer.bytes,
                    propagation: cluster.fabric.latency.picoseconds + node.uplinkLatency.picoseconds))
            links[links.count - 1].isNIC = true
            portLink.append(Int32(links.count))
            links.append(
                Link(
                    name: "switch/port-\(cluster.nodes[index].name)", rate: min(portRate, node.nicRate),
                    bufferBytes: cluster.fabric.portBuffer.bytes,
                    propagation: cluster.fabric.latency.picoseconds + node.uplinkLatency.picoseconds
                        + (node.nicInterruptDelay ?? profile.nicInterruptDelay).picoseconds))
            links[links.count - 1].interruptDelay = (node.nicInterruptDelay ?? profile.nicInterruptDelay).picoseconds
            nicShaper.append(-1)
            if let bucket = node.nicShaping {
                nicShaper[index] = Int32(links.count)
                links.append(Link(name: "\(node.name)/nic-tbf", shaping: bucket))
            }
        }
    }

    /// The endpoint running replica `replica` of `container`.
    func endpoint(container: Int, replica: Int) -> Int {
        endpointsOfContainer[container][replica]
    }

    mutating func buildConnections() {
        endpointsOfContainer = Array(repeating: [], count: topology.containers.count)
        for pod in grouping.pods {
            for container in pod.containers {
                for (replica, node) in pod.replicaNodes.enumerated() {
                    endpointsOfContainer[container].append(endpoints.count)
                    let spec = topology.containers[container]
                    var mask: UInt64 = 0
                    for core in spec.cpuset { mask |= 1 << UInt64(core) }
                    endpoints.append(
                        Endpoint(
                            container: container, replica: replica, node: node, threads: spec.threads,
                            allowedCores: mask,
                            homeCore: pools[poolOfNode[node]].first + Int32(spec.cpuset.first ?? 0)))
                }
            }
        }
        addShapers()
        // Sized once: a cluster's connection records run to tens of megabytes, which growing by
        // doubling would hold up to three times over.
        let connectionCount = topology.flows.reduce(0) { count, flow in
            let source = grouping.pods[grouping.podIndex(of: flow.from)].replicaNodes.count
            let destination = grouping.pods[grouping.podIndex(of: flow.to)].replicaNodes.count
            return count
                + (grouping.podIndex(of: flow.from) == grouping.podIndex(of: flow.to) ? source : source * destination)
        }
        connections.reserveCapacity(connections.count + connectionCount)
        halves.reserveCapacity(halves.count + 2 * connectionCount)
        flowConnections.reserveCapacity(topology.flows.count)
        nextConnection.reserveCapacity(topology.flows.count)
        for (flowIndex, flow) in topology.flows.enumerated() {
            let sourcePod = grouping.pods[grouping.podIndex(of: flow.from)]
            let destinationPod = grouping.pods[grouping.podIndex(of: flow.to)]
            var pairs: [(Int, Int)] = []
            if grouping.podIndex(of: flow.from) == grouping.podIndex(of: flow.to) {
                // Traffic between containers of one pod stays inside each replica.
                pairs = sourcePod.replicaNodes.indices.map { ($0, $0) }
            } else {
                for source in sourcePod.replicaNodes.indices {
                    for destination in destinationPod.replicaNodes.indices { pairs.append((source, destination)) }
                }
            }
            let first = Int32(connections.count)
            for (sourceReplica, destinationReplica) in pairs {
                addConnection(
                    flow: flowIndex, client: endpoint(container: flow.from, replica: sourceReplica),
                    server: endpoint(container: flow.to, replica: destinationReplica),
                    samePod: grouping.podIndex(of: flow.from) == grouping.podIndex(of: flow.to))
            }
            flowConnections.append(first..<Int32(connections.count))
            nextConnection.append(0)
        }
        builtPaths = [:]
        // Hops and lanes grow path by path; the run keeps them to its end, so keep them at their
        // size rather than at the next doubling (up to half again, a megabyte per 10,000 flows).
        hops = Self.sizedToFit(hops)
        lanes = Self.sizedToFit(lanes)
        placeThreads()
    }

    /// One shaper link per direction and replica of each pod whose containers limit its bandwidth,
    /// shared by the pod's endpoints of that replica.
    mutating func addShapers() {
        for pod in grouping.pods {
            let limits = BandwidthLimits.ofPod(pod.containers.map { topology.containers[$0].bandwidth })
            guard limits.ingress != nil || limits.egress != nil else { continue }
            for replica in pod.replicaNodes.indices {
                var egress: Int32 = -1, ingress: Int32 = -1
                if let bucket = limits.egress {
                    egress = Int32(links.count)
                    links.append(Link(name: "\(pod.name)#\(replica)/egress-tbf", shaping: bucket))
                }
                if let bucket = limits.ingress {
                    ingress = Int32(links.count)
                    links.append(Link(name: "\(pod.name)#\(replica)/ingress-tbf", shaping: bucket))
                }
                for container in pod.containers {
                    endpoints[endpoint(container: container, replica: replica)].egressShaper = egress
                    endpoints[endpoint(container: container, replica: replica)].ingressShaper = ingress
                }
            }
        }
    }

    /// Decides which endpoints poll, gives each polling thread a core of its own, and spreads the
    /// others' starting cores over the node (the scheduler balances new processes).
    mutating func placeThreads() {
        for pod in topology.podsStackedOnOneNode(in: grouping) {
            warnings.append(
                "pod \"\(pod.name)\" runs all \(pod.replicaNodes.count) replicas on node \"\(topology.cluster.nodes[pod.replicaNodes[0]].name)\": losing that node loses every replica (availability); spread them with \"nodes\""
            )
        }
        var pollingTransports = Array(repeating: (any: false, all: true), count: endpoints.count)
        for connection in connections {
            let polls = connection.transport == .shm ? profile.shmPolls : profile.socketsPoll
            for endpoint in [connection.client, connection.server] {
                pollingTransports[endpoint].any = true
                pollingTransports[endpoint].all = pollingTransports[endpoint].all && polls
            }
        }
        var nextHome = Array(repeating: 0, count: pools.count)
        for index in endpoints.indices {
            let spec = topology.containers[endpoints[index].container]
            let node = endpoints[index].node
            let pool = poolOfNode[node]
            let first = Int(pools[pool].first), count = Int(pools[pool].count)
            let wantsPoll =
                spec.wait.map { $0 == .poll } ?? (pollingTransports[index].any && pollingTransports[index].all)
            if wantsPoll {
                let candidates = spec.cpuset.isEmpty ? Array((0..<count).reversed()) : spec.cpuset
                let free = candidates.filter { !cores[first + $0].dedicated }.prefix(spec.threads)
                if free.count == spec.threads {
                    var mask: UInt64 = 0
                    for core in free {
                        cores[first + core].dedicated = true
                        if core < 64 { mask |= 1 << UInt64(core) }
                        pools[pool].freeCores -= 1
                    }
                    endpoints[index].polls = true
                    endpoints[index].allowedCores = mask
                    endpoints[index].homeCore = Int32(first + free.first!)
                    continue
                }
                warnings.append(
                    "container \"\(spec.name)\" on node \"\(topology.cluster.nodes[node].name)\" cannot poll: no free core for each of its \(spec.threads) thread(s); it blocks instead"
                )
            }
            if spec.cpuset.isEmpty {
                var home = nextHome[pool] % count
                for _ in 0..<count where cores[first + home].dedicated { home = (home + 1) % count }
                endpoints[index].homeCore = Int32(first + home)
                nextHome[pool] = home + 1
            }
        }
    }

    mutating func addConnection(flow flowIndex: Int, client: Int, server: Int, samePod: Bool) {
        let flow = topology.flows[flowIndex]
        let transport = samePod || !flow.transport.needsSharedPod ? flow.transport : (flow.fallback ?? .tcp)
        let clientNode = endpoints[client].node, serverNode = endpoints[server].node
        let pathClass: PathClass
        if samePod {
            switch transport {
            case .tcp, .udp: pathClass = .loopback
            case .uds, .udsDatagram: pathClass = .uds
            case .pipe: pathClass = .pipe
            case .shm: pathClass = .shm
            }
        } else {
            pathClass = clientNode == serverNode ? .sameNode : .crossNode
        }
        let overlay =
            pathClass == .crossNode
            ? topology.cluster.overlay(from: clientNode, to: serverNode)
            : Overlay(kind: .none, headerBytes: 0, cpuPerPacket: nil)
        let headers = Int64(Headers.ipv4 + (transport == .udp ? Headers.udp : Headers.tcp))
        let segmentPayload: Int64
        switch pathClass {
        case .uds, .pipe, .shm: segmentPayload = .max
        case .loopback: segmentPayload = profile.loopbackMTU - headers
        case .sameNode, .crossNode: segmentPayload = topology.cluster.mtu - overlay.headerBytes - headers
        }
        let forward = appendPath(
            pathClass, transport: transport, from: clientNode, to: serverNode, overlay: overlay,
            shapers: (endpoints[client].egressShaper, endpoints[server].ingressShaper))
        let backward = appendPath(
            pathClass, transport: transport, from: serverNode, to: clientNode, overlay: overlay,
            shapers: (endpoints[server].egressShaper, endpoints[client].ingressShaper))
        let sendBuffer: Int64
        switch transport {
        case .tcp: sendBuffer = flow.tuning.sendBuffer ?? profile.tcpSendBuffer
        case .uds, .udsDatagram, .shm: sendBuffer = flow.tuning.sendBuffer ?? profile.udsBuffer
        case .pipe: sendBuffer = flow.tuning.sendBuffer ?? profile.pipeCapacity
        case .udp:
            // Held until a datagram leaves the sender's stack; a path with no such point (none
            // that netlab builds) never blocks its writer.
            let leaves = [forward, backward].allSatisfy { path in
                hops[Int(path.start)..<(Int(path.start) + Int(path.count))].contains(where: \.leavesSender)
            }
            sendBuffer = leaves ? flow.tuning.sendBuffer ?? profile.udpSendBuffer : .max
        }
        let receiveBuffer =
            flow.tuning.receiveBuffer ?? (transport == .udp ? profile.udpReceiveBuffer : profile.tcpMaximumWindow)
        connections.append(
            Connection(
                flow: flowIndex, client: client, server: server, pathClass: pathClass, transport: transport,
                segmentPayload: segmentPayload, pathStart: (forward.start, backward.start),
                pathCount: (forward.count, backward.count),
                overlayBytes: Int32(overlay.headerBytes), laneBase: Int32(lanes.count),
                offloadBatch: Int16(clamping: max(1, 65_536 / max(segmentPayload, 1))),
                sendBuffer: sendBuffer, receiveBuffer: receiveBuffer,
                congestionControl: flow.tuning.congestionControl ?? profile.congestionControl, nagle: flow.tuning.nagle,
                nicBitsPerSecond: pathClass == .crossNode ? links[Int(nicLink[clientNode])].rate.bitsPerSecond : 0))
        let pathHops =
            hops[Int(forward.start)..<(Int(forward.start) + Int(forward.count))]
            + hops[Int(backward.start)..<(Int(backward.start) + Int(backward.count))]
        connections[connections.count - 1].instant = pathHops.allSatisfy { $0.kind == .cpu && $0.cost == 0 }
        connections[connections.count - 1].perCall = transport == .tcp && flow.tuning.perCallConnection
        lanes.append(contentsOf: Array(repeating: Lane(), count: Int(forward.count) + Int(backward.count)))
        let isBBR = connections[connections.count - 1].congestionControl == .bbr
        let handshakeRTT = isBBR ? handshakeRoundTrip(connection: connections.count - 1) : 0
        for _ in 0..<2 {
            var half = HalfConnection(initialWindow: profile.tcpInitialWindow)
            if isBBR {
                half.pacer = Int32(pacers.count)
                pacers.append(
                    Pacer(
                        bbr: BBR(
                            offloadBursts: profile.offloadBursts,
                            firstCycleIndex: (2 + (connections.count - 1) * 5 % 7) % BBR.cycleLength,
                            handshakeRTT: handshakeRTT)))
            }
            halves.append(half)
        }
    }

    /// The range of the hops of a packet's path from `source` to `destination` node: the stages
    /// of ``pathStages(_:transport:from:to:overlay:shapers:)``, consecutive CPU stages on one node
    /// joined into one hop. Hops are never written once built, so connections whose paths are
    /// alike share one range (a cluster's hundred thousand connections run between a few
    /// thousand pairs of nodes).
    mutating func appendPath(
        _ pathClass: PathClass, transport: Transport, from source: Int, to destination: Int, overlay: Overlay,
        shapers: (egress: Int32, ingress: Int32)
    ) -> (start: Int32, count: Int16) {
        // The overlay follows from the class and the two nodes (``Cluster/overlay(from:to:)``).
        let key = PathKey(
            pathClass: pathClass, transport: transport, source: source, destination: destination,
            egressShaper: shapers.egress, ingressShaper: shapers.ingress)
        if let built = builtPaths[key] { return built }
        let start = hops.count
        var parts: [HopParts] = []
        for stage in pathStages(
            pathClass, transport: transport, from: source, to: destination, overlay: overlay, shapers: shapers)
        {
            switch stage.kind {
            case .link(let link):
                hops.append(Hop(kind: .link, index: link, cost: 0))
                parts.append(HopParts())
            case .delay(let time):
                hops.append(Hop(kind: .delay, index: -1, cost: time))
                parts.append(HopParts())
            case .cpu(let node, let receives):
                if stage.joinsPrevious, let last = hops.last, hops.count > start, last.kind == .cpu {
                    hops[hops.count - 1].cost += stage.cost
                    parts[parts.count - 1] = parts[parts.count - 1] + stage.parts
                } else {
                    hops.append(Hop(kind: .cpu, index: Int32(node), cost: stage.cost, receives: receives))
                    parts.append(stage.parts)
                }
            }
        }
        for (offset, part) in parts.enumerated() {
            hops[start + offset].shares = WorkShares(
                stack: part.stack, devices: part.devices, netfilter: part.netfilter, overlay: part.overlay)
        }
        if let first = hops[start...].firstIndex(where: { $0.kind != .cpu || $0.receives }) {
            hops[first].leavesSender = true
        }
        builtPaths[key] = (Int32(start), Int16(hops.count - start))
        return (Int32(start), Int16(hops.count - start))
    }

    /// What the hops of a path depend on (``appendPath(_:transport:from:to:overlay:shapers:)``).
    struct PathKey: Hashable {
        var pathClass: PathClass
        var transport: Transport
        var source: Int
        var destination: Int
        var egressShaper: Int32
        var ingressShaper: Int32
    }

    /// The distance between the zones of two nodes, as a path stage (none within a zone).
    func betweenZones(_ source: Int, _ destination: Int) -> [PathStage] {
        let nodes = topology.cluster.nodes
        let latency = topology.cluster.fabric.interZoneLatency.picoseconds
        guard latency > 0, let from = nodes[source].zone, let to = nodes[destination].zone, from != to else {
            return []
        }
        return [PathStage(kind: .delay(latency), cost: 0, joinsPrevious: false, placeAfter: nil)]
    }

    /// The steps of a packet's path, in order, with where a capture could see it between them.
    /// Between pods a packet passes its sending pod's egress shaper after the pod's veth, and the
    /// receiving pod's ingress shaper before it (where the bandwidth plugin puts them; -1: none).
    func pathStages(
        _ pathClass: PathClass, transport: Transport, from source: Int, to destination: Int, overlay: Overlay,
        shapers: (egress: Int32, ingress: Int32) = (-1, -1)
    ) -> [PathStage] {
        let p = profile
        let (transmit, receive) =
            transport == .udp ? (p.udpStackTransmit, p.udpStackReceive) : (p.stackTransmit, p.stackReceive)
        let encapsulation = p.overlayCost(overlay).picoseconds
        func sending(_ parts: HopParts, _ after: PathStage.Place? = nil, joins: Bool = true) -> PathStage {
            PathStage(
                kind: .cpu(node: source, receives: false), cost: parts.total, joinsPrevious: joins,
                placeAfter: after, parts: parts)
        }
        func receiving(_ parts: HopParts, _ after: PathStage.Place? = nil, joins: Bool = true) -> PathStage {
            PathStage(
                kind: .cpu(node: destination, receives: true), cost: parts.total, joinsPrevious: joins,
                placeAfter: after, parts: parts)
        }
        let stack = (transmit: HopParts(stack: transmit.picoseconds), receive: HopParts(stack: receive.picoseconds))
        let veth = HopParts(devices: p.vethPerPacket.picoseconds)
        // Netfilter where the forwarding node runs it (same node: source is destination).
        let bridge = HopParts(
            devices: p.bridgePerPacket.picoseconds,
            netfilter: topology.cluster.nodes[source].runsNetfilter ? p.netfilterPerPacket.picoseconds : 0)
        func shaper(_ link: Int32) -> [PathStage] {
            link < 0 ? [] : [PathStage(kind: .link(link), cost: 0, joinsPrevious: false, placeAfter: nil)]
        }
        switch pathClass {
        case .uds, .pipe, .shm:
            return []
        case .loopback:
            return [sending(stack.transmit, .loopback, joins: false), receiving(stack.receive, joins: false)]
        case .sameNode:
            return [sending(stack.transmit, .senderNamespace, joins: false), sending(veth, .senderHost)]
                + shaper(shapers.egress) + [receiving(bridge, .receiverHost, joins: false)]
                + shaper(shapers.ingress) + [receiving(veth, .receiverNamespace), receiving(stack.receive)]
        case .crossNode:
            // The bridge forwards (and the overlay encapsulates) before the NIC's qdisc, where a
            // node's shaper holds the packet; its driver sends it after.
            let leaving =
                nicShaper[source] < 0
                ? [sending(bridge + HopParts(devices: p.nicTransmit.picoseconds, overlay: encapsulation), .senderNIC)]
                : [sending(bridge + HopParts(overlay: encapsulation))] + shaper(nicShaper[source]) + [
                    sending(HopParts(devices: p.nicTransmit.picoseconds), .senderNIC, joins: false)
                ]
            return [sending(stack.transmit, .senderNamespace, joins: false), sending(veth, .senderHost)]
                + shaper(shapers.egress) + leaving + [
                    PathStage(kind: .link(nicLink[source]), cost: 0, joinsPrevious: false, placeAfter: nil)
                ] + betweenZones(source, destination) + [
                    PathStage(
                        kind: .link(portLink[destination]), cost: 0, joinsPrevious: false, placeAfter: .receiverNIC),
                    receiving(
                        HopParts(devices: (p.nicReceive + p.bridgePerPacket).picoseconds, overlay: encapsulation),
                        .receiverHost, joins: false),
                ] + shaper(shapers.ingress) + [receiving(veth, .receiverNamespace), receiving(stack.receive)]
        }
    }

    /// A copy of `elements` that holds no spare capacity.
    static func sizedToFit<Element>(_ elements: [Element]) -> [Element] {
        var copy: [Element] = []
        copy.reserveCapacity(elements.count)
        copy.append(contentsOf: elements)
        return copy
    }
}

/// One step of a packet's path: CPU work on a node, or a link; consecutive CPU steps on one node
/// make one hop of the simulation.
struct PathStage {
    enum Kind {
        case cpu(node: Int, receives: Bool)
        case link(Int32)
        /// Distance alone (between zones), in picoseconds.
        case delay(Int64)
    }

    /// Where, between two steps, a capture can see the packet.
    enum Place {
        /// On the loopback device (both ends in one network namespace).
        case loopback
        /// In the sending pod's namespace (its eth0), after its stack sent the packet.
        case senderNamespace
        /// On the sender's node, at the host side of the pod's veth (a bridge port).
        case senderHost
        /// On the sender's node, after the bridge and the NIC driver: the node's own interface.
        case senderNIC
        /// On the receiver's node, off the wire, before its NIC driver.
        case receiverNIC
        /// On the receiver's node, after the bridge, at the host side of the receiving pod's veth.
        case receiverHost
        /// In the receiving pod's namespace, before its stack.
        case receiverNamespace
    }

    var kind: Kind
    var cost: Int64
    /// Added to the hop before (same node, no place in between), rather than a hop of its own.
    var joinsPrevious: Bool
    /// The capture place right after this step, if any.
    var placeAfter: Place?
    /// Its CPU cost by stage (`cost` is their sum).
    var parts = GroupingRun.HopParts()
}
