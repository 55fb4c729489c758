import NetLabStats

/// What a capture holds: the contents of `netlab inspect`.
public struct TraceSummary: Sendable {
    public var file: String
    public var format: CaptureFormat
    public var linkTypes: [String]
    public var packets = 0
    public var capturedBytes = 0
    public var wireBytes = 0
    /// Timestamps of the first and last packets in file order (nil for an empty file).
    public var firstNanoseconds: Int64?
    public var lastNanoseconds: Int64?
    public var ipv4 = 0
    public var ipv6 = 0
    /// Packets by transport (each packet counted once: tcp + udp + icmp + other = packets). A
    /// fragmented datagram counts on the fragment that completes it; the others count as other.
    public var tcp = 0
    public var udp = 0
    public var icmp = 0
    public var other = 0
    /// Packets whose capture kept fewer bytes than they had on the wire.
    public var truncatedPackets = 0
    /// Packets whose captured bytes ended inside a header they announced.
    public var cutShortPackets = 0
    /// Packets that copy one seen before on another interface of the capture (a node-wide
    /// capture sees a pod's packet on its veth and on the bridge): counted in packets and bytes,
    /// once in payload and messages.
    public var copies = 0
    /// The one capturing interface read (`--interface`), nil for all; then the packets the file
    /// holds per interface and how many were skipped as another interface's.
    public var interface: String?
    public var packetsByInterface: [String: Int] = [:]
    public var otherInterfacePackets = 0
    public var conversations: [Conversation] = []
    public var warnings: [String] = []
    /// False when the file is damaged and the counts cover only the packets before the damage.
    public var complete = true
    /// Where and how the file is damaged, when `complete` is false.
    public var damage: TraceError?
    /// Frame sizes (wire length), counted exactly.
    public var frameSizes = SizeCounts()
    /// Gaps between consecutive packets.
    public var interArrivals = LatencyHistogram()

    public var durationNanoseconds: Int64 { (lastNanoseconds ?? 0) - (firstNanoseconds ?? 0) }
}

/// Reads a capture once, streaming, and summarises it.
public enum TraceInspector {
    /// Summarises `path`, or only the packets its capturing `interface` saw.
    /// - Throws: ``TraceError`` when the file cannot be read at all, or does not record
    ///   `interface`. A file damaged after some packets is summarised up to the damage, with
    ///   `complete` false and `damage` set.
    public static func inspect(path: String, interface: String? = nil) throws(TraceError) -> TraceSummary {
        let reader = try TraceReader(path: path, interface: interface)
        var summary = TraceSummary(file: path, format: reader.format, linkTypes: [reader.linkTypeName])
        summary.interface = interface
        var scanner = ConversationScanner(linkType: reader.linkType, format: reader.format)
        var previous: Int64?
        do {
            try reader.forEachPacket { packet in
                summary.packets += 1
                summary.capturedBytes += packet.capturedLength
                summary.wireBytes += packet.wireLength
                let time = packet.timestampNanoseconds
                if summary.firstNanoseconds == nil { summary.firstNanoseconds = time }
                summary.lastNanoseconds = time
                summary.frameSizes.record(packet.wireLength)
                if let previous {
                    // Timestamps can be anything in a damaged or odd file: keep the gap in range.
                    let gap = time.subtractingReportingOverflow(previous)
                    let nanoseconds = gap.overflow ? Int64.max / 1000 : min(max(0, gap.partialValue), Int64.max / 1000)
                    summary.interArrivals.record(picoseconds: nanoseconds * 1000)
                }
                previous = time
                if packet.isTruncated { summary.truncatedPackets += 1 }

                let decoded = scanner.scan(packet)
                if decoded.cutShort { summary.cutShortPackets += 1 }
                switch decoded.network {
                case .ipv4: summary.ipv4 += 1
                case .ipv6: summary.ipv6 += 1
                default: break
                }
                switch decoded.transport {
                case .tcp: summary.tcp += 1
                case .udp: summary.udp += 1
                case .icmp: summary.icmp += 1
                case .none, .other: summary.other += 1
                }
            }
        } catch {
            guard summary.packets > 0 else { throw error }
            summary.complete = false
            summary.damage = error
            summary.warnings.append("incomplete: \(error.description)")
        }
        summary.conversations = scanner.conversations
        summary.packetsByInterface = reader.packetsByInterface
        summary.otherInterfacePackets = reader.otherInterfacePackets
        if let interface, summary.packets == 0, !reader.packetsByInterface.isEmpty {
            let seen = reader.packetsByInterface.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            summary.warnings.append(
                "no packet was captured on interface \(interface); packets per interface: \(InterfaceSelection.listing(seen))"
            )
        }
        summary.copies = scanner.copiesIgnored
        if summary.copies > 0 {
            summary.warnings.append(
                "\(summary.copies) packet(s) with payload, SYN, FIN or RST are copies of packets seen on another interface (same addresses, ports, IP id, sequence and length within 20 ms, 0.5 ms without an IPv4 id, as tcpdump -i any or dumpcap on several interfaces of a node records them): counted in packets and bytes as tshark counts them, once in payload and messages; replay sends their messages once"
            )
        }
        if let first = reader.clampedRecords.first {
            summary.warnings.append(
                "\(reader.clampedRecords.count) record(s) hold more captured bytes than the file's snapshot length \(reader.snapshotLength), first packet \(first.packet) (byte offset \(first.byteOffset), \(first.fileLength) bytes); libpcap keeps only the first \(reader.snapshotLength) bytes of each, so captured_bytes counts those"
            )
        }
        if !PacketDecoder.supportedLinkTypes.contains(reader.linkType) {
            summary.warnings.append(
                "link type \(reader.linkTypeName) (\(reader.linkType)) is not decoded: packets and bytes are counted, protocols and conversations are not"
            )
        }
        if summary.truncatedPackets > 0 {
            summary.warnings.append(
                "\(summary.truncatedPackets) packet(s) captured shorter than on the wire (snap length); decoded as far as their bytes go"
            )
        }
        if summary.cutShortPackets > 0 {
            summary.warnings.append(
                "\(summary.cutShortPackets) packet(s) end inside a header they announce; counted, decoded as far as possible"
            )
        }
        if scanner.incompleteDatagrams > 0 {
            summary.warnings.append(
                "\(scanner.incompleteDatagrams) fragmented datagram(s) never completed; their fragments count as other")
        }
        return summary
    }
}
