/// Decodes packets in file order, reassembles fragments and feeds every TCP/UDP header to the
/// conversation table: the one pass that both `inspect` and `replay` make over a capture.
public struct ConversationScanner: Sendable {
    let decoder: PacketDecoder
    public private(set) var tracker = ConversationTracker()
    var reassembler = FragmentReassembler()
    var decoded = DecodedPacket()
    /// Nil where the capture cannot hold copies (a classic pcap of one interface).
    var copyFilter: CopyFilter?

    public init(linkType: Int32, format: CaptureFormat = .pcap) {
        decoder = PacketDecoder(linkType: linkType)
        if CopyFilter.applies(to: format, linkType: linkType) { copyFilter = CopyFilter() }
    }

    public var conversations: [Conversation] { tracker.conversations }
    public var incompleteDatagrams: Int { reassembler.incompleteDatagrams }
    /// Packets recognised as copies of one seen before on another interface (see ``CopyFilter``):
    /// counted in their conversation's packets and bytes, as tshark counts them, but not again in
    /// its payload and messages, and not handed to `scan`'s body.
    public var copiesIgnored: Int { copyFilter?.copies ?? 0 }

    /// Scans one packet and calls `body` for each TCP/UDP header it carries (with the index of its
    /// conversation and whether it went from A to B). Returns the decoded packet; for a fragment,
    /// its transport is set only on the fragment that completes the datagram.
    public mutating func scan(
        _ packet: CapturedPacket,
        _ body: (_ header: TransportHeader, _ conversation: Int, _ fromA: Bool) -> Void = { _, _, _ in }
    ) -> DecodedPacket {
        decoder.decode(packet.bytes, into: &decoded)
        if decoded.fragment != nil {
            let fragment = decoded.fragment.unsafelyUnwrapped
            let (complete, header) = reassembler.add(fragment)
            decoded.transport = .none
            if complete {
                switch fragment.key.proto {
                case 6: decoded.transport = .tcp
                case 17: decoded.transport = .udp
                case 1, 58: decoded.transport = .icmp
                default: decoded.transport = .other
                }
            }
            if let header { decoded.first = header }
        }
        // Packets with payload, and TCP's SYN, FIN and RST, are checked: a copied pure ACK changes
        // no message, but a copied SYN after the stream's FIN would look like a new stream.
        func matters(_ header: TransportHeader) -> Bool { header.payloadLength > 0 || header.tcpFlags & 0x07 != 0 }
        let carrier = decoded.first.map { matters($0) ? $0 : decoded.second } ?? nil
        var copy = false
        if let carrier, matters(carrier), copyFilter != nil {
            copy = copyFilter!.isCopy(
                carrier, identification: decoded.ipIdentification, interface: decoded.interfaceIndex,
                timestamp: packet.timestampNanoseconds)
        }
        if let first = decoded.first {
            let (index, fromA) = tracker.record(
                first, frameLength: packet.wireLength, timestamp: packet.timestampNanoseconds, packet: packet.number,
                isCopy: copy)
            if !copy { body(first, index, fromA) }
        }
        if let second = decoded.second {
            let (index, fromA) = tracker.record(
                second, frameLength: packet.wireLength, timestamp: packet.timestampNanoseconds, packet: packet.number,
                isCopy: copy)
            if !copy { body(second, index, fromA) }
        }
        return decoded
    }
}
