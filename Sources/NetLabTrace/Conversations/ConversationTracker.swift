/// Builds the conversation table from transport headers as they stream past. Memory grows with
/// the number of conversations, not of packets.
public struct ConversationTracker: Sendable {
    struct Key: Hashable {
        var proto: UInt8
        var low: Endpoint
        var high: Endpoint
    }

    public private(set) var conversations: [Conversation] = []
    private var current: [Key: Int] = [:]

    public init() {}

    /// Counts one frame's TCP or UDP header.
    public mutating func record(_ header: TransportHeader, frameLength: Int, timestamp: Int64, packet: Int) {
        let source = Endpoint(address: header.source, port: header.sourcePort)
        let destination = Endpoint(address: header.destination, port: header.destinationPort)
        let key = Key(proto: header.proto.rawValue, low: min(source, destination), high: max(source, destination))
        var index = current[key]
        if let existing = index, header.proto == .tcp, startsNewStream(header, conversations[existing]) {
            index = nil
        }
        if index == nil {
            index = conversations.count
            current[key] = index
            conversations.append(Conversation(proto: header.proto, a: source, b: destination, timestamp: timestamp, packet: packet))
        }
        let fromA = conversations[index!].a == source
        conversations[index!].add(header, fromA: fromA, frameLength: frameLength, timestamp: timestamp)
    }

    /// A new TCP stream on a reused address/port pair, as Wireshark splits `tcp.stream`: a SYN
    /// without ACK on a conversation that has finished or reset, or whose opening SYN had another
    /// sequence number. A retransmitted SYN stays in its stream.
    func startsNewStream(_ header: TransportHeader, _ conversation: Conversation) -> Bool {
        guard header.isSYN, !header.isACK else { return false }
        if conversation.sawFinishOrReset { return true }
        if let opening = conversation.synSequence { return opening != header.sequence }
        return false
    }
}
