import NetLabCore
import NetLabSpec

extension CostProfile {
    /// The fields a profile override may set, by their names in topology and profile files.
    public enum Field: String, CaseIterable, Sendable {
        case socketSend = "socket_send", socketReceive = "socket_receive", copyPerByte = "copy_per_byte"
        case stackTransmit = "stack_transmit", stackReceive = "stack_receive"
        case udpSend = "udp_send", udpReceive = "udp_receive", udpStackTransmit = "udp_stack_transmit",
            udpStackReceive = "udp_stack_receive"
        case udsSend = "uds_send", udsReceive = "uds_receive", udsCopyPerByte = "uds_copy_per_byte"
        case pipeWrite = "pipe_write", pipeRead = "pipe_read", pipeCopyPerByte = "pipe_copy_per_byte"
        case shmWrite = "shm_write", shmRead = "shm_read", shmCopyPerByte = "shm_copy_per_byte"
        case coldCopyPerByte = "cold_copy_per_byte", cacheBytes = "cache_bytes"
        case remoteCopyPerByte = "remote_copy_per_byte"
        case wakeup, udsWakeup = "uds_wakeup", contextSwitch = "context_switch", socketWait = "socket_wait", shmWait =
            "shm_wait"
        case vethPerPacket = "veth_per_packet", bridgePerPacket = "bridge_per_packet", netfilterPerPacket =
            "netfilter_per_packet"
        case vxlanPerPacket = "vxlan_per_packet", genevePerPacket = "geneve_per_packet"
        case nicTransmit = "nic_transmit", nicReceive = "nic_receive", nicInterruptDelay = "nic_interrupt_delay"
        case tcpInitialWindow = "tcp_initial_window", tcpMaximumWindow = "tcp_maximum_window", tcpSendBuffer =
            "tcp_send_buffer"
        case tcpMinimumRTO = "tcp_minimum_rto", tcpDelayedAck = "tcp_delayed_ack", tcpAckCost = "tcp_ack_cost",
            tcpAckJitter = "tcp_ack_jitter"
        case congestionControl = "congestion_control", pacingTimerDelay = "pacing_timer_delay"
        case affineWakeups = "affine_wakeups"
        case udpReceiveBuffer = "udp_receive_buffer", udpSendBuffer = "udp_send_buffer", udsBuffer = "uds_buffer",
            pipeCapacity = "pipe_capacity"
        case backlogPackets = "backlog_packets", loopbackMTU = "loopback_mtu"
        case wakeupSigma = "wakeup_sigma", contextSwitchSigma = "context_switch_sigma", workSigma = "work_sigma"
        case idleWakeup100us = "idle_wakeup_100us", idleWakeup1ms = "idle_wakeup_1ms",
            idleWakeup10ms = "idle_wakeup_10ms"
        case variability

        enum Kind { case duration, mode, congestionControl, transports, count, bytes, fraction, spread, switchOff }

        var kind: Kind {
            switch self {
            case .socketWait, .shmWait: .mode
            case .congestionControl: .congestionControl
            case .affineWakeups: .transports
            case .tcpInitialWindow, .backlogPackets: .count
            case .tcpMaximumWindow, .tcpSendBuffer, .udpReceiveBuffer, .udpSendBuffer, .udsBuffer, .pipeCapacity,
                .loopbackMTU,
                .cacheBytes:
                .bytes
            case .tcpAckCost: .fraction
            case .wakeupSigma, .contextSwitchSigma, .workSigma: .spread
            case .variability: .switchOff
            default: .duration
            }
        }

        /// Durations that are host CPU or delay costs (zero under `ideal`), as against TCP timers.
        var isHostCost: Bool {
            (kind == .duration || kind == .spread) && self != .tcpMinimumRTO && self != .tcpDelayedAck
                && self != .tcpAckJitter
        }

        /// Whether a profile file writes the value as a plain number (a spread) rather than as
        /// picoseconds.
        public var isPlainNumber: Bool { kind == .spread || kind == .fraction || kind == .count }

        /// The field holding the spread of this one's figure, where a file may give the figure as a
        /// lognormal distribution.
        var spreadField: Field? {
            switch self {
            case .wakeup: .wakeupSigma
            case .contextSwitch: .contextSwitchSigma
            default: nil
            }
        }

        /// The override's value as a number: picoseconds, a count, bytes, a fraction, 1 for "poll"
        /// (0 "block"), a congestion control's ``CongestionControl/number``.
        func value(from node: JSONNode, path: String, reader: SpecReader) throws(SpecError) -> Double {
            switch kind {
            case .duration:
                let value = try reader.duration(node, path)
                guard value <= .seconds(10) else {
                    throw reader.fail(node, path, "\(value) is absurd for \(rawValue)", fix: "use at most 10s")
                }
                return Double(value.picoseconds)
            case .bytes:
                let bytes = try reader.bytes(node, path).bytes
                let minimum: Int64 = self == .loopbackMTU ? 576 : 4096
                guard bytes >= minimum else {
                    throw reader.fail(
                        node, path, "\(bytes)B is too small for \(rawValue)", fix: "use at least \(minimum)B")
                }
                guard bytes <= 1 << 30 else {
                    throw reader.fail(node, path, "\(bytes)B is absurd for \(rawValue)", fix: "use at most 1GiB")
                }
                return Double(bytes)
            case .count:
                let range = self == .backlogPackets ? 1...10_000_000 : 1...10_000
                return Double(try reader.integer(node, path, what: rawValue, range: range))
            case .fraction:
                return try reader.real(node, path, what: rawValue, minimum: 0, maximum: 1)
            case .spread:
                return try reader.real(node, path, what: "\(rawValue) (a lognormal sigma)", minimum: 0, maximum: 2)
            case .switchOff:
                let text = try reader.string(node, path, what: "\"off\"")
                guard text == "off" else {
                    throw reader.fail(
                        node, path, "unknown variability \"\(text)\"",
                        fix: "write \"off\" for a deterministic profile, or leave it out to keep the base's")
                }
                return 0
            case .mode:
                let text = try reader.string(node, path, what: "a wait mode")
                guard let mode = WaitMode(rawValue: text) else {
                    throw reader.fail(node, path, "unknown wait mode \"\(text)\"", fix: "use \"block\" or \"poll\"")
                }
                return mode == .poll ? 1 : 0
            case .transports:
                let text = try reader.string(node, path, what: "transports (\"pipe, shm\", or \"none\")")
                guard let bits = CostProfile.transportBits(text) else {
                    throw reader.fail(
                        node, path, "\"\(text)\" is not a list of transports",
                        fix:
                            "list some of \(Transport.allCases.map(\.rawValue).joined(separator: ", ")) with commas, or write \"none\""
                    )
                }
                return Double(bits)
            case .congestionControl:
                let text = try reader.string(node, path, what: "a congestion control")
                guard let value = CongestionControl(rawValue: text) else {
                    throw reader.fail(
                        node, path, "unknown congestion control \"\(text)\"",
                        fix: "use \"cubic\" (Linux's default), \"bbr\" or \"reno\"")
                }
                return value.number
            }
        }
    }

    /// Transports as bits (``Transport/bit``) from `"tcp, pipe"` or `"none"`, or nil.
    static func transportBits(_ text: String) -> UInt8? {
        let trimmed = text.filter { $0 != " " }
        guard trimmed != "none" else { return 0 }
        var bits: UInt8 = 0
        for name in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            guard let transport = Transport(rawValue: String(name)) else { return nil }
            bits |= 1 << transport.bit
        }
        return bits
    }

    /// The text a profile file writes for transports kept as bits.
    public static func transportText(_ bits: Double) -> String {
        let names = Transport.allCases.filter { UInt64(saturating: bits) & (1 << UInt64($0.bit)) != 0 }.map(\.rawValue)
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }

    /// This profile with `overrides` applied (values as produced by ``Field``).
    /// `"variability": "off"` applies last, whatever else the overrides say.
    public func applying(_ overrides: [String: Double]) -> CostProfile {
        var profile = self
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let field = Field(rawValue: key), field != .variability else { continue }
            profile.set(field, to: value)
        }
        if overrides[Field.variability.rawValue] != nil { profile.variability = .none }
        if !overrides.isEmpty { profile.name += "+overrides" }
        return profile
    }

    /// Sets `field` from its numeric form (see ``Field/value(from:path:reader:)``).
    mutating func set(_ field: Field, to value: Double) {
        let duration = SimDuration(picoseconds: Int64(saturating: value))
        switch field {
        case .socketSend: socketSend = duration
        case .socketReceive: socketReceive = duration
        case .copyPerByte: copyPerByte = duration
        case .stackTransmit: stackTransmit = duration
        case .stackReceive: stackReceive = duration
        case .udpSend: udpSend = duration
        case .udpReceive: udpReceive = duration
        case .udpStackTransmit: udpStackTransmit = duration
        case .udpStackReceive: udpStackReceive = duration
        case .udsSend: udsSend = duration
        case .udsReceive: udsReceive = duration
        case .udsCopyPerByte: udsCopyPerByte = duration
        case .pipeWrite: pipeWrite = duration
        case .pipeRead: pipeRead = duration
        case .pipeCopyPerByte: pipeCopyPerByte = duration
        case .shmWrite: shmWrite = duration
        case .shmRead: shmRead = duration
        case .shmCopyPerByte: shmCopyPerByte = duration
        case .coldCopyPerByte: coldCopyPerByte = duration
        case .cacheBytes: cacheBytes = Int64(saturating: value)
        case .remoteCopyPerByte: remoteCopyPerByte = duration
        case .wakeup: wakeup = duration
        case .udsWakeup: udsWakeup = duration
        case .contextSwitch: contextSwitch = duration
        case .socketWait: socketsPoll = value == 1
        case .shmWait: shmPolls = value == 1
        case .vethPerPacket: vethPerPacket = duration
        case .bridgePerPacket: bridgePerPacket = duration
        case .netfilterPerPacket: netfilterPerPacket = duration
        case .vxlanPerPacket: vxlanPerPacket = duration
        case .genevePerPacket: genevePerPacket = duration
        case .nicTransmit: nicTransmit = duration
        case .nicReceive: nicReceive = duration
        case .nicInterruptDelay: nicInterruptDelay = duration
        case .tcpInitialWindow: tcpInitialWindow = Int(saturating: value)
        case .tcpMaximumWindow: tcpMaximumWindow = Int64(saturating: value)
        case .tcpSendBuffer: tcpSendBuffer = Int64(saturating: value)
        case .tcpMinimumRTO: tcpMinimumRTO = duration
        case .tcpDelayedAck: tcpDelayedAck = duration
        case .tcpAckCost: tcpAckCost = value
        case .tcpAckJitter: tcpAckJitter = duration
        case .congestionControl: congestionControl = CongestionControl(number: value) ?? .cubic
        case .pacingTimerDelay: pacingTimerDelay = duration
        case .affineWakeups: affineWakeups = UInt8(clamping: Int(saturating: value)) & CostProfile.allTransportBits
        case .udpReceiveBuffer: udpReceiveBuffer = Int64(saturating: value)
        case .udpSendBuffer: udpSendBuffer = Int64(saturating: value)
        case .udsBuffer: udsBuffer = Int64(saturating: value)
        case .pipeCapacity: pipeCapacity = Int64(saturating: value)
        case .backlogPackets: backlogPackets = Int(saturating: value)
        case .loopbackMTU: loopbackMTU = Int64(saturating: value)
        case .wakeupSigma: variability.wakeupSigma = value
        case .contextSwitchSigma: variability.contextSwitchSigma = value
        case .workSigma: variability.workSigma = value
        case .idleWakeup100us: variability.idleWakeup.0 = duration
        case .idleWakeup1ms: variability.idleWakeup.1 = duration
        case .idleWakeup10ms: variability.idleWakeup.2 = duration
        case .variability: variability = .none
        }
    }

    /// The overlay's per-packet CPU cost: the topology's figure if it set one, else this profile's.
    func overlayCost(_ overlay: Overlay) -> SimDuration {
        if let cost = overlay.cpuPerPacket { return cost }
        switch overlay.kind {
        case .none: return .zero
        case .vxlan: return vxlanPerPacket
        case .geneve: return genevePerPacket
        }
    }
}
