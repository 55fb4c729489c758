import NetLabCore

/// Where a packet capture was taken, relative to a conversation's two ends (the client being the
/// side that sent first).
public enum CapturePoint: String, Sendable, CaseIterable {
    /// `tcpdump -i any` on the client's node: each packet where it first shows, the host side of
    /// its sender's veth, or the node's NIC for what arrives from another node. In a pod whose two
    /// containers talk over loopback: the loopback device.
    case any
    /// Inside the client pod's network namespace (its eth0).
    case client
    /// Inside the server pod's network namespace.
    case server
    /// On the client's node: the bridge for pods of one node, the node's NIC across nodes.
    case node

    /// Also accepted on the command line: the sender is the client, the receiver the server, the
    /// bridge is the node's.
    public static let synonyms: [String: CapturePoint] = ["sender": .client, "receiver": .server, "bridge": .node]
}

/// A message's unloaded passage split at the capture point: from the sending call's start to where
/// the capture saw its first packet, and from where the capture saw its last packet to the end of
/// the receiving call (the wake-up included), in picoseconds.
public struct CaptureSplit: Sendable, Equatable {
    public var beforeCapture: Int64
    public var afterCapture: Int64
    /// Both sides together, by stage: what the correction of a captured gap takes away, and so
    /// which profile figures decide it (``Stage/profileFields(for:)``).
    public var stages = StageTimes()
    /// Whether the receiver is woken on an idle core (an interrupt, not a context switch or a
    /// poll): then it also pays the profile's extra for how long that core was idle, which
    /// `afterCapture` leaves out (``GroupingRun/idleWakeupExtra(afterIdle:)``).
    public var wakesIdleCore = false
}

extension GroupingRun {
    /// The path class of `flow`'s first connection in this grouping.
    public func pathClass(ofFlow flow: Int) -> PathClass {
        flowConnections[flow].first.map { connections[Int($0)].pathClass } ?? .crossNode
    }

    /// Why a capture at `point` cannot have seen `flow`'s packets in this grouping, or nil if it can.
    public func captureProblem(flow: Int, at point: CapturePoint) -> String? {
        guard let connection = flowConnections[flow].first else { return "the flow has no connection" }
        switch connections[Int(connection)].pathClass {
        case .loopback:
            return point == .any
                ? nil
                : "both ends share one network namespace here, so the capture saw the loopback device; use the capture point any"
        case .uds, .pipe, .shm:
            return "the flow does not use the network here"
        case .sameNode, .crossNode:
            return nil
        }
    }

    /// What the model charges a lone `bytes`-byte message of `flow` on each side of `point`,
    /// without queueing: the sending call and the path before the point; the path after it, the
    /// receiver's wake-up (none if it polls) and its receiving call. The first and last packet
    /// are taken as full-sized, or the whole message where it fits in one.
    /// - Precondition: ``captureProblem(flow:at:)`` is nil.
    public func captureSplit(flow: Int, fromServer: Bool, bytes: Int64, at point: CapturePoint) -> CaptureSplit {
        let connection = connections[Int(flowConnections[flow].lowerBound)]
        let (sender, receiver) =
            fromServer ? (connection.server, connection.client) : (connection.client, connection.server)
        let place = capturePlace(point, pathClass: connection.pathClass, fromClient: !fromServer)
        let overlay =
            connection.pathClass == .crossNode
            ? topology.cluster.overlay(from: endpoints[sender].node, to: endpoints[receiver].node)
            : Overlay(kind: .none, headerBytes: 0, cpuPerPacket: nil)
        let stages = pathStages(
            connection.pathClass, transport: connection.transport, from: endpoints[sender].node,
            to: endpoints[receiver].node, overlay: overlay,
            shapers: (endpoints[sender].egressShaper, endpoints[receiver].ingressShaper))
        let headers = Int64(Headers.ipv4 + (connection.transport == .udp ? Headers.udp : Headers.tcp))
        let packetBytes = Int64(wireBytes(ip: min(max(bytes, 1), connection.segmentPayload) + headers, connection))
        var before = sendCallCost(connection.transport, bytes: bytes)
        var after: Int64 = 0
        var byStage = StageTimes()
        byStage[.send] = before
        var passed = false
        for stage in stages {
            let cost: Int64
            switch stage.kind {
            case .cpu:
                cost = stage.cost
                byStage[.stack] += stage.parts.stack
                byStage[.devices] += stage.parts.devices
                byStage[.netfilter] += stage.parts.netfilter
                byStage[.overlay] += stage.parts.overlay
            case .delay(let time):
                cost = time
                byStage[.propagation] += time
            case .link(let link) where links[Int(link)].burstPicoseconds > 0:
                cost = 0  // a lone message passes a shaper within its burst
            case .link(let link):
                let serialization = links[Int(link)].serializationPicoseconds(of: packetBytes)
                cost = serialization + links[Int(link)].propagation
                byStage[.serialization] += serialization
                byStage[.propagation] += links[Int(link)].propagation - links[Int(link)].interruptDelay
                byStage[.devices] += links[Int(link)].interruptDelay
            }
            if passed { after += cost } else { before += cost }
            if let placeAfter = stage.placeAfter, placeAfter == place { passed = true }
        }
        // A lone message finds the receiver asleep: woken on the sender's core where the wake-up is
        // synchronous (``affineCore(for:)``), else by an interrupt to its own.
        let switchesContext =
            connection.pathClass.wakesSynchronously && profile.wakesOnWakerCore(connection.transport)
            && endpoints[receiver].allowedCores == 0
        let wakeup =
            endpoints[receiver].polls
            ? 0
            : switchesContext ? profile.contextSwitch.picoseconds : profile.wakeup(on: connection.transport).picoseconds
        let receive = receiveCallCost(connection.transport, bytes: bytes)
        after += wakeup + receive
        byStage[.wakeup] = wakeup
        byStage[.receive] = receive
        return CaptureSplit(
            beforeCapture: before, afterCapture: after, stages: byStage,
            wakesIdleCore: !endpoints[receiver].polls && !switchesContext)
    }

    /// What waking a thread on a core idle for `idle` picoseconds costs beyond the wake-up: the
    /// profile's extra for leaving a deeper idle state (``HostVariability/idleExtra(after:)``).
    public func idleWakeupExtra(afterIdle idle: Int64) -> Int64 {
        profile.variability.idleExtra(after: idle)
    }

    /// The place on a path where a capture at `point` sees a message sent by the client
    /// (`fromClient`) or the server.
    func capturePlace(_ point: CapturePoint, pathClass: PathClass, fromClient: Bool) -> PathStage.Place {
        switch (point, pathClass) {
        case (_, .loopback), (_, .uds), (_, .pipe), (_, .shm): return .loopback
        case (.client, _): return fromClient ? .senderNamespace : .receiverNamespace
        case (.server, _): return fromClient ? .receiverNamespace : .senderNamespace
        case (.node, .sameNode), (.any, .sameNode): return .senderHost
        case (.node, .crossNode): return fromClient ? .senderNIC : .receiverNIC
        case (.any, .crossNode): return fromClient ? .senderHost : .receiverNIC
        }
    }
}
