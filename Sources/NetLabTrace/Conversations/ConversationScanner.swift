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
    /// conversation and whether it went from A to B). Returns the packet's layers; for a fragment,
    /// its transport is set only on the fragment that completes the datagram. (Only the layers come
    /// back: copying the whole decoded packet per packet cost more than decoding it.)
    @discardableResult
    public mutating func scan(
        _ packet: CapturedPacket,
        _ body: (_ header: TransportHeader, _ conversation: Int, _ fromA: Bool) -> Void = { _, _, _ in }
    ) -> PacketLayers {
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
            if let header {
                decoded.headerCount = 0
                decoded.add(header)
            }
        }
        let layers = PacketLayers(network: decoded.network, transport: decoded.transport, cutShort: decoded.cutShort)
        guard decoded.headerCount > 0 else { return layers }
        // Packets with payload, and TCP's SYN, FIN and RST, are checked: a copied pure ACK changes
        // no message, but a copied SYN after the stream's FIN would look like a new stream.
        var copy = false
        if copyFilter != nil {
            if decoded.first.mattersToCopies {
                copy = copyFilter!.isCopy(
                    decoded.first, identification: decoded.ipIdentification, interface: decoded.interfaceIndex,
                    timestamp: packet.timestampNanoseconds)
            } else if decoded.headerCount > 1, decoded.second.mattersToCopies {
                copy = copyFilter!.isCopy(
                    decoded.second, identification: decoded.ipIdentification, interface: decoded.interfaceIndex,
                    timestamp: packet.timestampNanoseconds)
            }
        }
        let (index, fromA) = tracker.record(
            decoded.first, frameLength: packet.wireLength, timestamp: packet.timestampNanoseconds,
            packet: packet.number,
            isCopy: copy)
        if !copy { body(decoded.first, index, fromA) }
        if decoded.headerCount > 1 {
            let (index, fromA) = tracker.record(
                decoded.second, frameLength: packet.wireLength, timestamp: packet.timestampNanoseconds,
                packet: packet.number, isCopy: copy)
            if !copy { body(decoded.second, index, fromA) }
        }
        return layers
    }
}

extension TransportHeader {
    /// Whether a copy of this header would change what netlab counts once: it carries payload,
    /// or TCP's SYN, FIN or RST (a copied SYN after the stream's FIN would look like a new
    /// stream); a copied pure ACK changes nothing.
    var mattersToCopies: Bool { payloadLength > 0 || tcpFlags & 0x07 != 0 }
}
