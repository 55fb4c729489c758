import NetLabCore

extension GroupingRun {
    /// One endpoint per container replica; one core pool per node; per node a NIC link and the
    /// switch port that sends to it.
    mutating func buildEndpointsAndLinks() {
        let cluster = topology.cluster
        for node in cluster.nodes { pools.append(CorePool(cores: node.cores)) }
        for (index, node) in cluster.nodes.enumerated() {
            nicLink.append(Int32(links.count))
            links.append(Link(
                name: "\(node.name)/nic-tx", rate: node.nicRate, bufferBytes: node.nicBuffer.bytes,
                propagation: cluster.fabric.latency.picoseconds))
            portLink.append(Int32(links.count))
            links.append(Link(
                name: "switch/port-\(cluster.nodes[index].name)", rate: cluster.fabric.portRate, bufferBytes: cluster.fabric.portBuffer.bytes,
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
                    endpoints.append(Endpoint(container: container, replica: replica, node: node))
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
    }

    mutating func addConnection(flow flowIndex: Int, client: Int, server: Int, samePod: Bool) {
        let flow = topology.flows[flowIndex]
        let transport = samePod || !flow.transport.needsSharedPod ? flow.transport : (flow.fallback ?? .tcp)
        let clientNode = endpoints[client].node, serverNode = endpoints[server].node
        let pathClass: PathClass
        if samePod {
            switch transport {
            case .tcp, .udp: pathClass = .loopback
            case .uds: pathClass = .uds
            case .pipe: pathClass = .pipe
            case .shm: pathClass = .shm
            }
        } else {
            pathClass = clientNode == serverNode ? .sameNode : .crossNode
        }
        let overlay = pathClass == .crossNode ? topology.cluster.overlay : Overlay(kind: .none, headerBytes: 0, cpuPerPacket: .zero)
        let headers = Int64(Headers.ipv4 + (transport == .udp ? Headers.udp : Headers.tcp))
        let segmentPayload: Int64
        switch pathClass {
        case .uds, .pipe, .shm: segmentPayload = .max
        case .loopback: segmentPayload = profile.loopbackMTU - headers
        case .sameNode, .crossNode: segmentPayload = topology.cluster.mtu - overlay.headerBytes - headers
        }
        let forward = appendPath(pathClass, from: clientNode, to: serverNode, overlay: overlay)
        let backward = appendPath(pathClass, from: serverNode, to: clientNode, overlay: overlay)
        connections.append(Connection(
            flow: flowIndex, client: client, server: server, pathClass: pathClass, transport: transport,
            segmentPayload: segmentPayload, pathStart: (forward.start, backward.start), pathCount: (forward.count, backward.count),
            overlayBytes: Int32(overlay.headerBytes), laneBase: Int32(lanes.count),
            offloadBatch: Int16(clamping: max(1, 65_536 / max(segmentPayload, 1)))))
        lanes.append(contentsOf: Array(repeating: Lane(), count: Int(forward.count) + Int(backward.count)))
        halves.append(HalfConnection(initialWindow: profile.tcpInitialWindow))
        halves.append(HalfConnection(initialWindow: profile.tcpInitialWindow))
    }

    /// Appends the hops of a packet's path from `source` to `destination` node and returns their range.
    mutating func appendPath(_ pathClass: PathClass, from source: Int, to destination: Int, overlay: Overlay) -> (start: Int32, count: Int16) {
        let start = hops.count
        let p = profile
        func cpu(_ node: Int, _ cost: SimDuration) { hops.append(Hop(kind: .cpu, index: Int32(node), cost: cost.picoseconds)) }
        switch pathClass {
        case .uds, .pipe, .shm:
            break
        case .loopback:
            cpu(source, p.stackTransmit)
            cpu(source, p.stackReceive)
        case .sameNode:
            cpu(source, p.stackTransmit + p.vethPerPacket)
            cpu(source, p.bridgePerPacket + p.netfilterPerPacket + p.vethPerPacket + p.stackReceive)
        case .crossNode:
            cpu(source, p.stackTransmit + p.vethPerPacket + p.bridgePerPacket + p.netfilterPerPacket + overlay.cpuPerPacket + p.nicTransmit)
            hops.append(Hop(kind: .link, index: nicLink[source], cost: 0))
            hops.append(Hop(kind: .link, index: portLink[destination], cost: 0))
            cpu(destination, p.nicReceive + overlay.cpuPerPacket + p.bridgePerPacket + p.vethPerPacket + p.stackReceive)
        }
        return (Int32(start), Int16(hops.count - start))
    }
}
