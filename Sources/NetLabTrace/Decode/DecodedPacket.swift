/// TCP or UDP.
public enum TransportProtocol: UInt8, Sendable {
    case tcp = 6, udp = 17

    public var name: String { self == .tcp ? "tcp" : "udp" }
}

/// A TCP or UDP header found in a packet, with the addresses of the IP header that carried it.
public struct TransportHeader: Sendable {
    public var proto: TransportProtocol
    public var source: IPAddress
    public var destination: IPAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// TCP flags (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10); 0 for UDP.
    public var tcpFlags: UInt8
    public var sequence: UInt32
    public var acknowledgement: UInt32
    /// Payload bytes the packet carried on the wire (from the IP and transport lengths, not
    /// from what the capture kept).
    public var payloadLength: Int
    /// The UDP checksum as captured (0 for TCP): it tells same-size datagrams apart when their
    /// IPv4 identification does not (0 on datagrams that may not be fragmented).
    public var udpChecksum: UInt16 = 0

    /// An all-zero header: a placeholder in a packet that carries fewer headers.
    static let empty = TransportHeader(
        proto: .tcp, source: IPAddress(ipv4: 0), destination: IPAddress(ipv4: 0), sourcePort: 0, destinationPort: 0,
        tcpFlags: 0, sequence: 0, acknowledgement: 0, payloadLength: 0)

    public var isSYN: Bool { tcpFlags & 0x02 != 0 }
    public var isACK: Bool { tcpFlags & 0x10 != 0 }
    public var isFIN: Bool { tcpFlags & 0x01 != 0 }
    public var isRST: Bool { tcpFlags & 0x04 != 0 }
}

/// One fragment of an IPv4 or IPv6 datagram, for reassembly.
public struct FragmentInfo: Sendable {
    public struct Key: Hashable, Sendable {
        public var source: IPAddress
        public var destination: IPAddress
        public var identification: UInt32
        public var proto: UInt8
    }

    public var key: Key
    /// Offset of this fragment's data in the datagram, in bytes.
    public var offset: Int
    /// Bytes of datagram data in this fragment (from the IP header).
    public var length: Int
    public var moreFragments: Bool
    /// The transport header, when this is the first fragment and the capture kept it.
    public var firstHeader: TransportHeader?
    /// Bytes of transport header in the first fragment (to compute the payload once complete).
    public var transportHeaderLength: Int
}

/// What a packet holds, as far as its captured bytes go. A small value: no payload is copied.
public struct DecodedPacket: Sendable {
    public enum Network: Sendable { case none, ipv4, ipv6, arp, other }
    public enum Transport: Sendable { case none, tcp, udp, icmp, other }

    /// The outermost network layer.
    public var network: Network = .none
    /// The first transport protocol found (inside tunnels if the outer packet is a tunnel).
    public var transport: Transport = .none
    /// How many of `first` and `second` the packet carries (0, 1 or 2).
    public internal(set) var headerCount = 0
    /// TCP and UDP headers that feed conversations: the outer one and, through a tunnel, an inner
    /// one; valid as far as `headerCount` says. Headers quoted inside ICMP errors are not here.
    /// (Not optionals: a scan reads them in place, where unwrapping copied them per packet.)
    public internal(set) var first = TransportHeader.empty
    public internal(set) var second = TransportHeader.empty
    /// Set when the outermost IP datagram is a fragment (its transport, if any, waits for reassembly).
    public var fragment: FragmentInfo?
    /// The outermost IPv4 header's identification (0 for IPv6): with the transport header, what
    /// tells a copy of a packet from another packet.
    public var ipIdentification: UInt32 = 0
    /// The capturing interface's index where the link header says it (LINUX_SLL2, as `tcpdump
    /// -i any` writes); 0 where unknown.
    public var interfaceIndex: UInt32 = 0
    /// The captured bytes ended before a header the packet claimed.
    public var cutShort = false
    /// The link type is not one netlab decodes.
    public var unsupportedLink = false

    public init() {}

    mutating func add(_ header: TransportHeader) {
        switch headerCount {
        case 0: first = header
        case 1: second = header
        default: return
        }
        headerCount += 1
    }
}

/// The layers a scanned packet held: what `inspect` counts per packet.
public struct PacketLayers: Sendable {
    public var network: DecodedPacket.Network
    public var transport: DecodedPacket.Transport
    /// The captured bytes ended before a header the packet claimed.
    public var cutShort: Bool
}
