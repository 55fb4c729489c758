/// Decodes link, network and transport headers of captured packets, without copying them.
///
/// Link types: Ethernet (`EN10MB`, with 802.1Q/802.1ad/QinQ tags, MPLS, LLC/SNAP, PPPoE), Linux
/// cooked `LINUX_SLL` and `LINUX_SLL2`, `RAW`/`IPV4`/`IPV6`, `NULL`/`LOOP`, `PPP`, `NFLOG` and
/// radiotap 802.11 data frames. Network: IPv4 (options, fragments), IPv6 (extension headers,
/// fragments), ARP. Tunnels followed: GRE (including PPTP's), IP-in-IP, IPv6-in-IPv4, VXLAN (UDP
/// 4789) and Geneve (UDP 6081), as tshark follows them by default.
public struct PacketDecoder: Sendable {
    public let linkType: Int32

    public init(linkType: Int32) {
        self.linkType = linkType
    }

    /// Link types this decoder understands.
    public static let supportedLinkTypes: Set<Int32> = [0, 1, 9, 12, 14, 101, 108, 113, 127, 228, 229, 239, 276]

    public func decode(_ bytes: UnsafeRawBufferPointer) -> DecodedPacket {
        var packet = DecodedPacket()
        decode(bytes, into: &packet)
        return packet
    }

    /// Decodes into `packet`, which is reset first: reusing one value saves copying a few hundred
    /// bytes per packet.
    public func decode(_ bytes: UnsafeRawBufferPointer, into packet: inout DecodedPacket) {
        packet.reset()
        var cursor = Cursor(bytes: bytes)
        switch linkType {
        case 1: decodeEthernet(&cursor, &packet, depth: 0)
        case 113:  // LINUX_SLL: 16-byte header, protocol last.
            guard cursor.skip(14), let proto = cursor.u16() else { return packet.markCutShort() }
            decodeEtherType(proto, &cursor, &packet, depth: 0)
        case 276:  // LINUX_SLL2: protocol first, 20-byte header with the interface's index.
            guard let proto = cursor.u16(), cursor.skip(2), let interface = cursor.u32(), cursor.skip(12) else {
                return packet.markCutShort()
            }
            packet.interfaceIndex = interface
            decodeEtherType(proto, &cursor, &packet, depth: 0)
        case 12, 14, 101: decodeIPByVersion(&cursor, &packet, depth: 0)
        case 228: decodeIPv4(&cursor, &packet, depth: 0)
        case 229: decodeIPv6(&cursor, &packet, depth: 0)
        case 0:  // NULL: address family in the capturing host's byte order.
            guard let raw = cursor.u32() else { return packet.markCutShort() }
            let family = raw & 0xFFFF_0000 != 0 ? raw.byteSwapped : raw
            decodeFamily(family, &cursor, &packet)
        case 108:  // LOOP: address family in network order.
            guard let family = cursor.u32() else { return packet.markCutShort() }
            decodeFamily(family, &cursor, &packet)
        case 9: decodePPP(&cursor, &packet, depth: 0)
        case 239: decodeNFLOG(&cursor, &packet)
        case 127: decodeRadiotap(&cursor, &packet)
        default: packet.unsupportedLink = true
        }
    }

    // MARK: Link layers

    func decodeEthernet(_ cursor: inout Cursor, _ packet: inout DecodedPacket, depth: Int) {
        guard cursor.has(14) else { return packet.markCutShort() }
        let type = cursor.u16(ahead: 12)
        _ = cursor.skip(14)
        if type < 0x0600 {
            // IEEE 802.3 length field: LLC, perhaps SNAP.
            guard let dsap = cursor.u8(), let ssap = cursor.u8(), let control = cursor.u8() else {
                return packet.markCutShort()
            }
            if dsap == 0xAA, ssap == 0xAA, control == 0x03 {
                guard cursor.skip(3), let snapType = cursor.u16() else { return packet.markCutShort() }
                decodeEtherType(snapType, &cursor, &packet, depth: depth)
            } else {
                packet.network = .other
            }
            return
        }
        decodeEtherType(type, &cursor, &packet, depth: depth)
    }

    func decodeEtherType(_ type: UInt16, _ cursor: inout Cursor, _ packet: inout DecodedPacket, depth: Int) {
        switch type {
        case 0x0800: decodeIPv4(&cursor, &packet, depth: depth)
        case 0x86DD: decodeIPv6(&cursor, &packet, depth: depth)
        case 0x0806:
            if depth == 0 { packet.network = .arp }
        case 0x8100, 0x88A8, 0x9100:  // VLAN tags, stacked for QinQ.
            guard cursor.skip(2), let inner = cursor.u16() else { return packet.markCutShort() }
            decodeEtherType(inner, &cursor, &packet, depth: depth)
        case 0x8847, 0x8848:  // MPLS: labels until bottom of stack, then IP by version.
            while true {
                guard let label = cursor.u32() else { return packet.markCutShort() }
                if label & 0x100 != 0 { break }
            }
            decodeIPByVersion(&cursor, &packet, depth: depth)
        case 0x8864:  // PPPoE session: 6-byte header, then a PPP protocol field.
            guard cursor.skip(6), let proto = cursor.u16() else { return packet.markCutShort() }
            decodePPPProtocol(proto, &cursor, &packet, depth: depth)
        default:
            if depth == 0 { packet.network = .other }
        }
    }

    func decodeIPByVersion(_ cursor: inout Cursor, _ packet: inout DecodedPacket, depth: Int) {
        guard let first = cursor.peekU8() else { return packet.markCutShort() }
        switch first >> 4 {
        case 4: decodeIPv4(&cursor, &packet, depth: depth)
        case 6: decodeIPv6(&cursor, &packet, depth: depth)
        default: if depth == 0 { packet.network = .other }
        }
    }

    func decodeFamily(_ family: UInt32, _ cursor: inout Cursor, _ packet: inout DecodedPacket) {
        switch family {
        case 2: decodeIPv4(&cursor, &packet, depth: 0)
        case 10, 24, 28, 30: decodeIPv6(&cursor, &packet, depth: 0)
        default: packet.network = .other
        }
    }

    func decodePPP(_ cursor: inout Cursor, _ packet: inout DecodedPacket, depth: Int) {
        guard let first = cursor.peekU8() else { return packet.markCutShort() }
        if first == 0xFF {
            guard cursor.skip(2) else { return packet.markCutShort() }  // address 0xFF, control 0x03
        }
        guard let high = cursor.u8() else { return packet.markCutShort() }
        var proto = UInt16(high)
        if high & 1 == 0 {  // two-byte protocol field unless compressed (odd first byte)
            guard let low = cursor.u8() else { return packet.markCutShort() }
            proto = proto << 8 | UInt16(low)
        }
        decodePPPProtocol(proto, &cursor, &packet, depth: depth)
    }

    func decodePPPProtocol(_ proto: UInt16, _ cursor: inout Cursor, _ packet: inout DecodedPacket, depth: Int) {
        switch proto {
        case 0x0021: decodeIPv4(&cursor, &packet, depth: depth)
        case 0x0057: decodeIPv6(&cursor, &packet, depth: depth)
        default: if depth == 0 { packet.network = .other }
        }
    }

    /// NFLOG: a 4-byte header (family, version, resource id), then TLVs in host byte order, 4-byte
    /// aligned; type 9 carries the packet.
    func decodeNFLOG(_ cursor: inout Cursor, _ packet: inout DecodedPacket) {
        guard let family = cursor.u8(), cursor.skip(3) else { return packet.markCutShort() }
        while let rawLength = cursor.u16LittleEndian(), let type = cursor.u16LittleEndian() {
            let length = Int(rawLength)
            guard length >= 4 else { return packet.markCutShort() }
            if type & 0x7FFF == 9 {
                var payload = cursor.limited(to: length - 4)
                if family == 2 {
                    decodeIPv4(&payload, &packet, depth: 0)
                } else if family == 10 {
                    decodeIPv6(&payload, &packet, depth: 0)
                } else {
                    decodeIPByVersion(&payload, &packet, depth: 0)
                }
                return
            }
            guard cursor.skip((length + 3) & ~3 - 4) else { return packet.markCutShort() }
        }
        packet.network = .other
    }

    /// Radiotap, then an 802.11 data frame with LLC/SNAP.
    func decodeRadiotap(_ cursor: inout Cursor, _ packet: inout DecodedPacket) {
        guard cursor.skip(2), let length = cursor.u16LittleEndian(), cursor.skip(Int(length) - 4) else {
            return packet.markCutShort()
        }
        guard let control = cursor.u16LittleEndian() else { return packet.markCutShort() }
        let type = (control >> 2) & 0x3, subtype = (control >> 4) & 0xF
        let flags = UInt8(truncatingIfNeeded: control >> 8)
        guard type == 2, flags & 0x40 == 0 else {  // data frames only, not protected
            packet.network = .other
            return
        }
        var header = 24
        if flags & 0x03 == 0x03 { header += 6 }  // four addresses
        if subtype & 0x8 != 0 { header += 2 }  // QoS control
        if subtype & 0x4 != 0 {  // null data: no payload
            packet.network = .other
            return
        }
        guard cursor.skip(header - 2), let dsap = cursor.u8(), let ssap = cursor.u8(), let llcControl = cursor.u8()
        else { return packet.markCutShort() }
        guard dsap == 0xAA, ssap == 0xAA, llcControl == 0x03, cursor.skip(3), let etherType = cursor.u16() else {
            packet.network = .other
            return
        }
        decodeEtherType(etherType, &cursor, &packet, depth: 0)
    }
}

extension DecodedPacket {
    mutating func markCutShort() { cutShort = true }

    mutating func reset() {
        network = .none
        transport = .none
        headerCount = 0
        if fragment != nil { fragment = nil }  // most packets are not fragments: skip rewriting it
        ipIdentification = 0
        interfaceIndex = 0
        cutShort = false
        unsupportedLink = false
    }
}
