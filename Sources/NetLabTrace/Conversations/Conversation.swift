/// One end of a conversation.
public struct Endpoint: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool { (lhs.address, lhs.port) < (rhs.address, rhs.port) }

    /// `ip:port`, with IPv6 in brackets: `198.18.0.1:80`, `[2001:2::1]:443`.
    public var description: String { address.isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)" }
}

/// A bidirectional TCP or UDP conversation, counted as `tshark -z conv,tcp -z conv,udp` counts:
/// endpoint A is the source of the first frame, bytes are whole frame lengths on the wire.
public struct Conversation: Sendable {
    public var proto: TransportProtocol
    public var a: Endpoint
    public var b: Endpoint
    public var packetsAToB = 0
    public var packetsBToA = 0
    public var bytesAToB = 0
    public var bytesBToA = 0
    /// Transport payload bytes each way (what the applications exchanged).
    public var payloadAToB = 0
    public var payloadBToA = 0
    /// Messages each way: runs of consecutive payload-carrying packets in one direction.
    public var messagesAToB = 0
    public var messagesBToA = 0
    public var firstNanoseconds: Int64
    public var lastNanoseconds: Int64
    /// 1-based number of the conversation's first packet in the file.
    public var firstPacket: Int

    /// The TCP handshake's round trip as the capture point saw it: from A's SYN to A's first ACK
    /// after B's SYN-ACK (what tshark calls the initial RTT); nil without a complete handshake.
    public var handshakeRTTNanoseconds: Int64?

    var lastPayloadFromA: Bool?
    var synSequence: UInt32?
    var synTime: Int64?
    var sawSynAck = false
    var sawFinishOrReset = false

    public var packets: Int { packetsAToB + packetsBToA }
    public var bytes: Int { bytesAToB + bytesBToA }

    init(proto: TransportProtocol, a: Endpoint, b: Endpoint, timestamp: Int64, packet: Int) {
        self.proto = proto
        self.a = a
        self.b = b
        firstNanoseconds = timestamp
        lastNanoseconds = timestamp
        firstPacket = packet
    }

    /// Whether `header` belongs to this conversation, and if so whether it went from A to B.
    @inline(__always)
    func direction(of header: TransportHeader) -> Bool? {
        guard header.proto == proto else { return nil }
        if a.port == header.sourcePort, b.port == header.destinationPort, a.address == header.source,
            b.address == header.destination
        {
            return true
        }
        if b.port == header.sourcePort, a.port == header.destinationPort, b.address == header.source,
            a.address == header.destination
        {
            return false
        }
        return nil
    }

    /// Whether `header` opens a new TCP stream on this conversation's address/port pair, as
    /// Wireshark splits `tcp.stream`: a SYN without ACK after the conversation finished or reset,
    /// or whose sequence number differs from the opening SYN's. A retransmitted SYN stays.
    func isEnded(by header: TransportHeader) -> Bool {
        guard header.isSYN, !header.isACK else { return false }
        if sawFinishOrReset { return true }
        if let opening = synSequence { return opening != header.sequence }
        return false
    }

    mutating func add(_ header: TransportHeader, fromA: Bool, frameLength: Int, timestamp: Int64, isCopy: Bool = false)
    {
        if fromA {
            packetsAToB += 1
            bytesAToB += frameLength
        } else {
            packetsBToA += 1
            bytesBToA += frameLength
        }
        firstNanoseconds = min(firstNanoseconds, timestamp)
        lastNanoseconds = max(lastNanoseconds, timestamp)
        guard !isCopy else { return }
        if fromA { payloadAToB += header.payloadLength } else { payloadBToA += header.payloadLength }
        if header.payloadLength > 0 {
            if lastPayloadFromA != fromA {
                if fromA { messagesAToB += 1 } else { messagesBToA += 1 }
                lastPayloadFromA = fromA
            }
        }
        if header.proto == .tcp {
            if header.isSYN && !header.isACK && synSequence == nil {
                synSequence = header.sequence
                if fromA { synTime = timestamp }
            }
            if header.isSYN && header.isACK && !fromA && synTime != nil { sawSynAck = true }
            if fromA, header.isACK, !header.isSYN, sawSynAck, handshakeRTTNanoseconds == nil, let synTime {
                handshakeRTTNanoseconds = timestamp - synTime
            }
            if header.isFIN || header.isRST { sawFinishOrReset = true }
        }
    }
}
