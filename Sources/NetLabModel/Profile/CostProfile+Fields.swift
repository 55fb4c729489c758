import NetLabCore

extension CostProfile {
    /// The fields a profile override may set, by their names in topology and profile files.
    public enum Field: String, CaseIterable, Sendable {
        case socketSend = "socket_send", socketReceive = "socket_receive", copyPerByte = "copy_per_byte"
        case stackTransmit = "stack_transmit", stackReceive = "stack_receive"
        case udsSend = "uds_send", udsReceive = "uds_receive", pipeWrite = "pipe_write", pipeRead = "pipe_read"
        case shmWrite = "shm_write", shmRead = "shm_read"
        case wakeup, socketWait = "socket_wait", shmWait = "shm_wait"
        case vethPerPacket = "veth_per_packet", bridgePerPacket = "bridge_per_packet", netfilterPerPacket = "netfilter_per_packet"
        case nicTransmit = "nic_transmit", nicReceive = "nic_receive", nicInterruptDelay = "nic_interrupt_delay"
        case tcpInitialWindow = "tcp_initial_window", tcpMaximumWindow = "tcp_maximum_window", tcpMinimumRTO = "tcp_minimum_rto"
        case loopbackMTU = "loopback_mtu"

        enum Kind { case duration, mode, segments, bytes }

        var kind: Kind {
            switch self {
            case .socketWait, .shmWait: .mode
            case .tcpInitialWindow: .segments
            case .tcpMaximumWindow, .loopbackMTU: .bytes
            default: .duration
            }
        }

        /// The override's value as an integer: picoseconds, a count, bytes, or 1 for "poll" and 0 for "block".
        func value(from node: JSONNode, path: String, reader: SpecReader) throws(SpecError) -> Double {
            switch kind {
            case .duration: return Double(try reader.duration(node, path).picoseconds)
            case .bytes:
                let bytes = try reader.bytes(node, path).bytes
                guard bytes >= 576 else { throw reader.fail(node, path, "\(bytes)B is too small", fix: "use at least 576B") }
                return Double(bytes)
            case .segments: return Double(try reader.integer(node, path, what: rawValue, range: 1...10_000))
            case .mode:
                let text = try reader.string(node, path, what: "a wait mode")
                guard text == "block" || text == "poll" else { throw reader.fail(node, path, "unknown wait mode \"\(text)\"", fix: "use \"block\" or \"poll\"") }
                return text == "poll" ? 1 : 0
            }
        }
    }

    /// This profile with `overrides` applied (values as produced by ``Field``).
    public func applying(_ overrides: [String: Double]) -> CostProfile {
        var profile = self
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let field = Field(rawValue: key) else { continue }
            let duration = SimDuration(picoseconds: Int64(value))
            switch field {
            case .socketSend: profile.socketSend = duration
            case .socketReceive: profile.socketReceive = duration
            case .copyPerByte: profile.copyPerByte = duration
            case .stackTransmit: profile.stackTransmit = duration
            case .stackReceive: profile.stackReceive = duration
            case .udsSend: profile.udsSend = duration
            case .udsReceive: profile.udsReceive = duration
            case .pipeWrite: profile.pipeWrite = duration
            case .pipeRead: profile.pipeRead = duration
            case .shmWrite: profile.shmWrite = duration
            case .shmRead: profile.shmRead = duration
            case .wakeup: profile.wakeup = duration
            case .socketWait: profile.socketsPoll = value == 1
            case .shmWait: profile.shmPolls = value == 1
            case .vethPerPacket: profile.vethPerPacket = duration
            case .bridgePerPacket: profile.bridgePerPacket = duration
            case .netfilterPerPacket: profile.netfilterPerPacket = duration
            case .nicTransmit: profile.nicTransmit = duration
            case .nicReceive: profile.nicReceive = duration
            case .nicInterruptDelay: profile.nicInterruptDelay = duration
            case .tcpInitialWindow: profile.tcpInitialWindow = Int(value)
            case .tcpMaximumWindow: profile.tcpMaximumWindow = Int64(value)
            case .tcpMinimumRTO: profile.tcpMinimumRTO = duration
            case .loopbackMTU: profile.loopbackMTU = Int64(value)
            }
        }
        if !overrides.isEmpty { profile.name += "+overrides" }
        return profile
    }
}
