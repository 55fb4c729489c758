/// Decodes packets in file order, reassembles fragments and feeds every TCP/UDP header to the
/// conversation table: the one pass that both `inspect` and `replay` make over a capture.
public struct ConversationScanner: Sendable {
    let decoder: PacketDecoder
    public private(set) var tracker = ConversationTracker()
    var reassembler = FragmentReassembler()
    var decoded = DecodedPacket()

    public init(linkType: Int32) {
        decoder = PacketDecoder(linkType: linkType)
    }

    public var conversations: [Conversation] { tracker.conversations }
    public var incompleteDatagrams: Int { reassembler.incompleteDatagrams }

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
        if let first = decoded.first {
            let (index, fromA) = tracker.record(
                first, frameLength: packet.wireLength, timestamp: packet.timestampNanoseconds, packet: packet.number)
            body(first, index, fromA)
        }
        if let second = decoded.second {
            let (index, fromA) = tracker.record(
                second, frameLength: packet.wireLength, timestamp: packet.timestampNanoseconds, packet: packet.number)
            body(second, index, fromA)
        }
        return decoded
    }
}
