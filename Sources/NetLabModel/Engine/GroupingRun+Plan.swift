import NetLabCore

extension GroupingRun {
    /// One core pool per node; per node a NIC link and the switch port that sends to it, each
    /// serialising at the slower of its two ends.
    mutating func buildCoresAndLinks() {
        let cluster = topology.cluster
        for (index, node) in cluster.nodes.enumerated() {
            pools.append(CorePool(first: Int32(cores.count), count: Int32(node.cores), freeCores: Int32(node.cores)))
            for _ in 0..<node.cores {
                pools[index].idle.append(Int32(cores.count))
                nodeOfCore.append(index)
                cores.append(Core(listedIdle: true))
            }
            pools[index].idle.reverse()
        }
        for (index, node) in cluster.nodes.enumerated() {
            let portRate = cluster.fabric.portRate
            nicLink.append(Int32(links.count))
            links.append(Link(
                name: "\(node.name)/nic-tx", rate: min(node.nicRate, portRate), bufferBytes: node.nicBuffer.bytes,
                propagation: cluster.fabric.latency.picoseconds))
            portLink.append(Int32(links.count))
            links.append(Link(
                name: "switch/port-\(cluster.nodes[index].name)", rate: min(portRate, node.nicRate), bufferBytes: cluster.fabric.portBuffer.bytes,
                propagation: cluster.fabric.latency.picoseconds + profile.nicInterruptDelay.picoseconds))
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
                    endpoints.append(Endpoint(
                        container: container, replica: replica, node: node, threads: spec.threads, allowedCores: mask,
                        homeCore: pools[node].first + Int32(spec.cpuset.first ?? 0)))
                }
            }
        }
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
            var list: [Int32] = []
            for (sourceReplica, destinationReplica) in pairs {
                list.append(Int32(connections.count))
                addConnection(flow: flowIndex, client: endpoint(container: flow.from, replica: sourceReplica),
                              server: endpoint(container: flow.to, replica: destinationReplica),
                              samePod: grouping.podIndex(of: flow.from) == grouping.podIndex(of: flow.to))
            }
            flowConnections.append(list)
            nextConnection.append(0)
        }
        placeThreads()
    }

    /// Decides which endpoints poll, gives each polling thread a core of its own, and spreads the
    /// others' starting cores over the node (the scheduler balances new processes).
    mutating func placeThreads() {
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
            let first = Int(pools[node].first), count = Int(pools[node].count)
            let wantsPoll = spec.wait.map { $0 == .poll } ?? (pollingTransports[index].any && pollingTransports[index].all)
            if wantsPoll {
                let candidates = spec.cpuset.isEmpty ? Array((0..<count).reversed()) : spec.cpuset
                let free = candidates.filter { !cores[first + $0].dedicated }.prefix(spec.threads)
                if free.count == spec.threads {
                    var mask: UInt64 = 0
                    for core in free {
                        cores[first + core].dedicated = true
                        if core < 64 { mask |= 1 << UInt64(core) }
                        pools[node].freeCores -= 1
                    }
                    endpoints[index].polls = true
                    endpoints[index].allowedCores = mask
                    endpoints[index].homeCore = Int32(first + free.first!)
                    continue
                }
                warnings.append(
                    "container \"\(spec.name)\" on node \"\(topology.cluster.nodes[node].name)\" cannot poll: no free core for each of its \(spec.threads) thread(s); it blocks instead")
            }
            if spec.cpuset.isEmpty {
                var home = nextHome[node] % count
                for _ in 0..<count where cores[first + home].dedicated { home = (home + 1) % count }
                endpoints[index].homeCore = Int32(first + home)
                nextHome[node] = home + 1
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
        let overlay = pathClass == .crossNode ? topology.cluster.overlay : Overlay(kind: .none, headerBytes: 0, cpuPerPacket: nil)
        let headers = Int64(Headers.ipv4 + (transport == .udp ? Headers.udp : Headers.tcp))
        let segmentPayload: Int64
        switch pathClass {
        case .uds, .pipe, .shm: segmentPayload = .max
        case .loopback: segmentPayload = profile.loopbackMTU - headers
        case .sameNode, .crossNode: segmentPayload = topology.cluster.mtu - overlay.headerBytes - headers
        }
        let forward = appendPath(pathClass, transport: transport, from: clientNode, to: serverNode, overlay: overlay)
        let backward = appendPath(pathClass, transport: transport, from: serverNode, to: clientNode, overlay: overlay)
        let sendBuffer: Int64
        switch transport {
        case .tcp: sendBuffer = flow.tuning.sendBuffer ?? profile.tcpSendBuffer
        case .uds, .udsDatagram, .shm: sendBuffer = flow.tuning.sendBuffer ?? profile.udsBuffer
        case .pipe: sendBuffer = flow.tuning.sendBuffer ?? profile.pipeCapacity
        case .udp: sendBuffer = .max
        }
        let receiveBuffer = flow.tuning.receiveBuffer ?? (transport == .udp ? profile.udpReceiveBuffer : profile.tcpMaximumWindow)
        connections.append(Connection(
            flow: flowIndex, client: client, server: server, pathClass: pathClass, transport: transport,
            segmentPayload: segmentPayload, pathStart: (forward.start, backward.start), pathCount: (forward.count, backward.count),
            overlayBytes: Int32(overlay.headerBytes), laneBase: Int32(lanes.count),
            offloadBatch: Int16(clamping: max(1, 65_536 / max(segmentPayload, 1))),
            sendBuffer: sendBuffer, receiveBuffer: receiveBuffer,
            congestionControl: flow.tuning.congestionControl ?? profile.congestionControl, nagle: flow.tuning.nagle,
            nicBitsPerSecond: pathClass == .crossNode ? links[Int(nicLink[clientNode])].rate.bitsPerSecond : 0))
        lanes.append(contentsOf: Array(repeating: Lane(), count: Int(forward.count) + Int(backward.count)))
        halves.append(HalfConnection(initialWindow: profile.tcpInitialWindow))
        halves.append(HalfConnection(initialWindow: profile.tcpInitialWindow))
    }

    /// Appends the hops of a packet's path from `source` to `destination` node and returns their range.
    mutating func appendPath(
        _ pathClass: PathClass, transport: Transport, from source: Int, to destination: Int, overlay: Overlay
    ) -> (start: Int32, count: Int16) {
        let start = hops.count
        let p = profile
        let (transmit, receive) = transport == .udp ? (p.udpStackTransmit, p.udpStackReceive) : (p.stackTransmit, p.stackReceive)
        let encapsulation = p.overlayCost(overlay)
        func cpu(_ node: Int, _ cost: SimDuration, receives: Bool) {
            hops.append(Hop(kind: .cpu, index: Int32(node), cost: cost.picoseconds, receives: receives))
        }
        switch pathClass {
        case .uds, .pipe, .shm:
            break
        case .loopback:
            cpu(source, transmit, receives: false)
            cpu(source, receive, receives: true)
        case .sameNode:
            cpu(source, transmit + p.vethPerPacket, receives: false)
            cpu(source, p.bridgePerPacket + p.netfilterPerPacket + p.vethPerPacket + receive, receives: true)
        case .crossNode:
            cpu(source, transmit + p.vethPerPacket + p.bridgePerPacket + p.netfilterPerPacket + encapsulation + p.nicTransmit, receives: false)
            hops.append(Hop(kind: .link, index: nicLink[source], cost: 0))
            hops.append(Hop(kind: .link, index: portLink[destination], cost: 0))
            cpu(destination, p.nicReceive + encapsulation + p.bridgePerPacket + p.vethPerPacket + receive, receives: true)
        }
        return (Int32(start), Int16(hops.count - start))
    }
}
