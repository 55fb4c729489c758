/// Builds the conversation table from transport headers as they stream past. Memory grows with
/// the number of conversations, not of packets.
public struct ConversationTracker: Sendable {
    struct Key: Hashable {
        var proto: UInt8
        var low: Endpoint
        var high: Endpoint

        /// A cheap mix of every field: lookups happen once per packet, where SipHash over seven
        /// fields cost more than the decoding.
        var mixed: UInt64 {
            var mix = low.address.high &* 0x9E37_79B9_7F4A_7C15 ^ low.address.low
            mix = (mix ^ (mix >> 29)) &* 0xBF58_476D_1CE4_E5B9 ^ high.address.high
            mix = (mix ^ (mix >> 31)) &* 0x94D0_49BB_1331_11EB ^ high.address.low
            mix ^= UInt64(low.port) << 40 | UInt64(high.port) << 16 | UInt64(proto)
            mix = (mix ^ (mix >> 32)) &* 0xD6E8_FEB8_6659_FD93
            return mix ^ (mix >> 32)
        }
    }

    public private(set) var conversations: [Conversation] = []
    private var current = ConversationIndex()

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
        let source = Endpoint(address: header.source, port: header.sourcePort)
        let destination = Endpoint(address: header.destination, port: header.destinationPort)
        let sourceFirst = source < destination
        let key = Key(
            proto: header.proto.rawValue, low: sourceFirst ? source : destination,
            high: sourceFirst ? destination : source)
        var index = current.find(key)
        if let existing = index, header.proto == .tcp, !isCopy, startsNewStream(header, conversations[existing]) {
            index = nil
        }
        if index == nil {
            index = conversations.count
            current.set(key, to: index!)
            conversations.append(
                Conversation(proto: header.proto, a: source, b: destination, timestamp: timestamp, packet: packet))
        }
        let fromA = conversations[index!].a == source
        conversations[index!].add(header, fromA: fromA, frameLength: frameLength, timestamp: timestamp, isCopy: isCopy)
        return (index!, fromA)
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

/// Open-addressing hash table from conversation key to the index of its current conversation,
/// with linear probing, a table at most half full, and each slot's hash kept beside it so that
/// most probes compare one word rather than a whole key.
struct ConversationIndex: Sendable {
    /// 0 marks an empty slot; stored hashes have their low bit set.
    private var hashes: [UInt64] = Array(repeating: 0, count: 64)
    private var keys: [ConversationTracker.Key?] = Array(repeating: nil, count: 64)
    private var values: [Int] = Array(repeating: 0, count: 64)
    private var count = 0

    func find(_ key: ConversationTracker.Key) -> Int? {
        let hash = key.mixed | 1
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash >> 1) & mask
        while hashes[slot] != 0 {
            if hashes[slot] == hash, keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    mutating func set(_ key: ConversationTracker.Key, to value: Int) {
        if (count + 1) * 2 > hashes.count { grow() }
        let hash = key.mixed | 1
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash >> 1) & mask
        while hashes[slot] != 0 {
            if hashes[slot] == hash, keys[slot] == key {
                values[slot] = value
                return
            }
            slot = (slot + 1) & mask
        }
        hashes[slot] = hash
        keys[slot] = key
        values[slot] = value
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        hashes = Array(repeating: 0, count: oldKeys.count * 2)
        keys = Array(repeating: nil, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        count = 0
        for (slot, key) in oldKeys.enumerated() { if let key { set(key, to: oldValues[slot]) } }
    }
}
