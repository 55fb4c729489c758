/// Recognises a packet seen before on another interface of the same capture: `tcpdump -i any`
/// on a node sees a pod's packet on its veth and again on the bridge or the NIC, and `dumpcap -i
/// cni0 -i vethX` writes each interface's packets in batches, so a copy may come much later in
/// the file. A copy has the same addresses, ports, IPv4 identification, TCP sequence and
/// acknowledgement numbers and flags (UDP: checksum), and payload length as the original, and a
/// timestamp within `window` of it; a retransmission has another identification or comes an RTO
/// later. Where the IPv4 identification is set, it alone tells a retransmission (which gets a new
/// one) from a copy, so the window widens to `identifiedWindow`: on a loaded node the copy seen
/// on the receiving port is stamped when the packet is queued, the one on the sending port when
/// the stack gets round to forwarding it, and that can be tens of milliseconds later on a node
/// whose cores are all busy (with a 20 ms window, a loaded CI machine's capture kept one copy
/// as a packet of its own). The window
/// stays below Linux's 200 ms minimum retransmission timeout, the earliest a retransmission
/// could come.
///
/// A direct-mapped table of recent packets' fingerprints keeps the cost per packet to one hash
/// and one probe, with no allocation: a fingerprint evicted before its copy arrives leaves that
/// copy counted (the table holds 16,384 packets, far more than a capture tool's batches).
struct CopyFilter: Sendable {
    static let window: Int64 = 500_000  // 0.5 ms, in nanoseconds
    static let identifiedWindow: Int64 = 100_000_000  // 100 ms
    private static let slots = 16_384

    private var fingerprints = [UInt64](repeating: 0, count: slots)
    private var times = [Int64](repeating: 0, count: slots)
    private var interfaces = [UInt32](repeating: 0, count: slots)
    /// Copies recognised so far.
    private(set) var copies = 0

    /// Whether captures of this file can hold copies: pcapng (several interfaces) and the Linux
    /// "any" pseudo-interface's link types. A classic pcap of one interface cannot.
    static func applies(to format: CaptureFormat, linkType: Int32) -> Bool {
        format == .pcapng || linkType == 113 || linkType == 276
    }

    /// Whether `header` (carried with IPv4 identification `identification`, 0 for IPv6) at
    /// `timestamp`, captured on interface `interface` (0: unknown), copies a packet seen before on
    /// another interface; if not, it is remembered.
    mutating func isCopy(_ header: TransportHeader, identification: UInt32, interface: UInt32 = 0, timestamp: Int64)
        -> Bool
    {
        var mix = header.source.high &* 0x9E37_79B9_7F4A_7C15 ^ header.source.low
        mix = (mix ^ (mix >> 29)) &* 0xBF58_476D_1CE4_E5B9 ^ header.destination.high
        mix = (mix ^ (mix >> 31)) &* 0x94D0_49BB_1331_11EB ^ header.destination.low
        mix ^= UInt64(header.sourcePort) << 48 | UInt64(header.destinationPort) << 32 | UInt64(identification)
        mix = (mix ^ (mix >> 32)) &* 0xD6E8_FEB8_6659_FD93
        mix ^= UInt64(header.sequence) << 32 | UInt64(header.acknowledgement)
        mix = (mix ^ (mix >> 29)) &* 0xBF58_476D_1CE4_E5B9
        mix ^=
            UInt64(header.payloadLength) << 8 | UInt64(header.tcpFlags) | UInt64(header.proto.rawValue) << 56
            | UInt64(header.udpChecksum) << 32
        mix = (mix ^ (mix >> 32)) &* 0x94D0_49BB_1331_11EB
        let fingerprint = (mix ^ (mix >> 31)) | 1
        let slot = Int(truncatingIfNeeded: fingerprint >> 1) & (Self.slots - 1)
        if fingerprints[slot] == fingerprint,
            abs(times[slot] &- timestamp) <= (identification != 0 ? Self.identifiedWindow : Self.window),
            interface == 0 || interfaces[slot] == 0 || interfaces[slot] != interface
        {
            copies += 1
            return true
        }
        fingerprints[slot] = fingerprint
        times[slot] = timestamp
        interfaces[slot] = interface
        return false
    }
}
