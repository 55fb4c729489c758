/// Builds the conversation table from transport headers as they stream past. Memory grows with
/// the number of conversations, not of packets.
public struct ConversationTracker: Sendable {
    public private(set) var conversations: [Conversation] = []
    private var index = ConversationIndex()

    public init() {}

    /// Counts one frame's TCP or UDP header; returns the conversation's index and whether the
    /// frame went from its endpoint A to B. A copy of a frame seen on another interface counts in
    /// packets and bytes only.
    @discardableResult
    public mutating func record(
        _ header: TransportHeader, frameLength: Int, timestamp: Int64, packet: Int, isCopy: Bool = false
    ) -> (
        index: Int, fromA: Bool
    ) {
        let hash = ConversationIndex.hash(header)
        var slot = index.firstSlot(for: hash)
        var found: (conversation: Int, fromA: Bool)?
        let tag = ConversationIndex.tag(of: hash)
        while let entry = index.entry(at: slot) {
            if entry.tag == tag, let fromA = conversations[entry.conversation].direction(of: header) {
                found = (entry.conversation, fromA)
                break
            }
            slot = index.slot(after: slot)
        }
        if let existing = found {
            let splits = header.proto == .tcp && !isCopy && conversations[existing.conversation].isEnded(by: header)
            if !splits {
                conversations[existing.conversation].add(
                    header, fromA: existing.fromA, frameLength: frameLength, timestamp: timestamp, isCopy: isCopy)
                return (existing.conversation, existing.fromA)
            }
        }
        let conversation = conversations.count
        conversations.append(
            Conversation(
                proto: header.proto, a: Endpoint(address: header.source, port: header.sourcePort),
                b: Endpoint(address: header.destination, port: header.destinationPort), timestamp: timestamp,
                packet: packet))
        conversations[conversation].add(
            header, fromA: true, frameLength: frameLength, timestamp: timestamp, isCopy: isCopy)
        if found != nil {
            index.replace(at: slot, with: conversation)  // the key now names the new stream
        } else {
            index.insert(at: slot, tag: tag, conversation: conversation) { [conversations] moved in
                ConversationIndex.hash(conversations[moved].proto, conversations[moved].a, conversations[moved].b)
            }
        }
        return (conversation, true)
    }
}

/// Open-addressing hash table from a conversation's key (protocol and both endpoints, in either
/// order) to the index of its current conversation, with linear probing and a table at most a
/// quarter full. A slot is eight bytes, 32 bits of the key's hash and the conversation's index:
/// the key itself is compared against the conversation, which the packet updates next anyway, so
/// a lookup touches one small slot (most often the first it probes) and one conversation.
struct ConversationIndex: Sendable {
    private struct Slot {
        /// 0 marks an empty slot; stored tags have their low bit set.
        var tag: UInt32
        var conversation: UInt32
    }

    private var slots = [Slot](repeating: Slot(tag: 0, conversation: 0), count: 64)
    private var count = 0

    /// The same for both directions of a conversation: each endpoint is mixed alone and the two
    /// are added, so no comparison decides their order. Lookups happen once per packet, where
    /// SipHash over the fields cost more than the decoding.
    static func hash(_ header: TransportHeader) -> UInt64 {
        hash(
            header.proto, Endpoint(address: header.source, port: header.sourcePort),
            Endpoint(address: header.destination, port: header.destinationPort))
    }

    /// `hash` of a conversation's key, its endpoints in either order.
    static func hash(_ proto: TransportProtocol, _ one: Endpoint, _ other: Endpoint) -> UInt64 {
        func mixed(_ address: IPAddress, _ port: UInt16) -> UInt64 {
            let word =
                address.low ^ UInt64(port) << 32 ^ (address.high &* 0xD6E8_FEB8_6659_FD93)
                ^ (address.isIPv6 ? 1 << 63 : 0)
            return (word ^ (word >> 23)) &* 0x9E37_79B9_7F4A_7C15
        }
        var mix = mixed(one.address, one.port) &+ mixed(other.address, other.port)
        mix = (mix ^ UInt64(proto.rawValue)) &* 0x94D0_49BB_1331_11EB
        return mix ^ (mix >> 31)
    }

    /// The part of `hash` a slot keeps (its high half, the probe starts from the low half).
    static func tag(of hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 32) | 1 }

    /// Where the probe for `hash` starts.
    func firstSlot(for hash: UInt64) -> Int { Int(truncatingIfNeeded: hash) & (slots.count - 1) }

    /// The next slot of a probe.
    func slot(after slot: Int) -> Int { (slot + 1) & (slots.count - 1) }

    /// The tag and conversation in `slot`; nil for an empty slot, which ends a probe.
    func entry(at slot: Int) -> (tag: UInt32, conversation: Int)? {
        let entry = slots[slot]
        return entry.tag == 0 ? nil : (entry.tag, Int(entry.conversation))
    }

    /// Points the occupied `slot` at another conversation (a new stream on the same key).
    mutating func replace(at slot: Int, with conversation: Int) { slots[slot].conversation = UInt32(conversation) }

    /// Fills the empty `slot` where a probe for `tag` ended. The table doubles (each entry moved
    /// by its conversation's rehashed key) when a quarter full.
    mutating func insert(at slot: Int, tag: UInt32, conversation: Int, rehash: (Int) -> UInt64) {
        slots[slot] = Slot(tag: tag, conversation: UInt32(conversation))
        count += 1
        guard count * 4 > slots.count else { return }
        let old = slots
        slots = [Slot](repeating: Slot(tag: 0, conversation: 0), count: old.count * 2)
        for entry in old where entry.tag != 0 {
            var slot = firstSlot(for: rehash(Int(entry.conversation)))
            while slots[slot].tag != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = entry
        }
    }
}
