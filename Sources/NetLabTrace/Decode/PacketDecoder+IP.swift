extension PacketDecoder {
    func decodeIPv4(_ cursor: inout Cursor, _ packet: inout DecodedPacket, depth: Int) {
        guard let versionAndLength = cursor.peekU8(), versionAndLength >> 4 == 4 else {
            if depth == 0 { packet.network = .other }
            return packet.markCutShortIf(cursor.remaining == 0)
        }
        if depth == 0 { packet.network = .ipv4 }
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard headerLength >= 20, cursor.has(headerLength) else { return packet.markCutShort() }
        let totalLength = cursor.u16(ahead: 2), identification = cursor.u16(ahead: 4)
        let fragmentField = cursor.u16(ahead: 6), proto = cursor.u8(ahead: 9)
        let source = cursor.u32(ahead: 12), destination = cursor.u32(ahead: 16)
        _ = cursor.skip(headerLength)
        if depth == 0 { packet.ipIdentification = UInt32(identification) }
        // A zero total length (segmentation offload captures) means "as long as captured".
        let payloadLength = totalLength == 0 ? cursor.remaining : max(0, Int(totalLength) - headerLength)
        cursor.limit(to: payloadLength)
        let sourceAddress = IPAddress(ipv4: source), destinationAddress = IPAddress(ipv4: destination)
        let offset = Int(fragmentField & 0x1FFF) * 8
        let moreFragments = fragmentField & 0x2000 != 0
        if moreFragments || offset > 0 {
            recordFragment(
                FragmentInfo.Key(
                    source: sourceAddress, destination: destinationAddress, identification: UInt32(identification),
                    proto: proto),
                offset: offset, length: payloadLength, more: moreFragments, cursor: &cursor, packet: &packet,
                depth: depth)
            return
        }
        decodeTransport(
            proto, &cursor, &packet, source: sourceAddress, destination: destinationAddress, length: payloadLength,
            depth: depth)
    }

    func decodeIPv6(_ cursor: inout Cursor, _ packet: inout DecodedPacket, depth: Int) {
        guard let first = cursor.peekU8(), first >> 4 == 6 else {
            if depth == 0 { packet.network = .other }
            return packet.markCutShortIf(cursor.remaining == 0)
        }
        if depth == 0 { packet.network = .ipv6 }
        guard cursor.skip(4), let declared = cursor.u16(), var next = cursor.u8(), cursor.skip(1),
            let sourceHigh = cursor.u64(), let sourceLow = cursor.u64(),
            let destinationHigh = cursor.u64(), let destinationLow = cursor.u64()
        else { return packet.markCutShort() }
        let source = IPAddress(high: sourceHigh, low: sourceLow, isIPv6: true)
        let destination = IPAddress(high: destinationHigh, low: destinationLow, isIPv6: true)
        var remaining = declared == 0 ? cursor.remaining : Int(declared)  // 0: jumbogram or offload
        cursor.limit(to: remaining)
        while true {
            switch next {
            case 0, 43, 60, 135, 139, 140:  // hop-by-hop, routing, destination, mobility, HIP, shim6
                guard let following = cursor.u8(), let length = cursor.u8() else { return packet.markCutShort() }
                let size = (Int(length) + 1) * 8
                guard cursor.skip(size - 2) else { return packet.markCutShort() }
                remaining -= size
                next = following
            case 51:  // authentication header
                guard let following = cursor.u8(), let length = cursor.u8() else { return packet.markCutShort() }
                let size = (Int(length) + 2) * 4
                guard cursor.skip(size - 2) else { return packet.markCutShort() }
                remaining -= size
                next = following
            case 44:  // fragment
                guard let following = cursor.u8(), cursor.skip(1), let field = cursor.u16(),
                    let identification = cursor.u32()
                else {
                    return packet.markCutShort()
                }
                remaining -= 8
                let offset = Int(field >> 3) * 8
                let more = field & 1 != 0
                if offset == 0 && !more {  // an atomic fragment is a whole datagram
                    next = following
                    continue
                }
                recordFragment(
                    FragmentInfo.Key(
                        source: source, destination: destination, identification: identification, proto: following),
                    offset: offset, length: max(0, remaining), more: more, cursor: &cursor, packet: &packet,
                    depth: depth)
                return
            case 59:  // no next header
                return
            default:
                decodeTransport(
                    next, &cursor, &packet, source: source, destination: destination, length: max(0, remaining),
                    depth: depth)
                return
            }
        }
    }

    /// A fragment: only the outermost datagram is reassembled (by the caller, which sees the
    /// whole stream); the first fragment's transport header is kept for when it completes.
    func recordFragment(
        _ key: FragmentInfo.Key, offset: Int, length: Int, more: Bool, cursor: inout Cursor,
        packet: inout DecodedPacket, depth: Int
    ) {
        var info = FragmentInfo(
            key: key, offset: offset, length: length, moreFragments: more, firstHeader: nil, transportHeaderLength: 0)
        if offset == 0, let proto = TransportProtocol(rawValue: key.proto) {
            var probe = cursor
            var header = TransportHeader.empty
            let before = probe.position
            if readTransportHeader(
                proto, &probe, into: &header, source: key.source, destination: key.destination, length: length)
            {
                info.firstHeader = header
                info.transportHeaderLength = probe.position - before
            }
        }
        if depth == 0 { packet.fragment = info }
    }

    func decodeTransport(
        _ proto: UInt8, _ cursor: inout Cursor, _ packet: inout DecodedPacket, source: IPAddress,
        destination: IPAddress, length: Int, depth: Int
    ) {
        switch proto {
        case 6, 17:
            let kind = TransportProtocol(rawValue: proto)!
            if packet.transport == .none { packet.transport = kind == .tcp ? .tcp : .udp }
            // Written in place: building the header and then copying it into the packet stalled
            // the copy on the stores that had just built it.
            let read: Bool, tunnelPort: UInt16
            switch packet.headerCount {
            case 0:
                read = readTransportHeader(
                    kind, &cursor, into: &packet.first, source: source, destination: destination, length: length)
                tunnelPort = packet.first.destinationPort
            case 1:
                read = readTransportHeader(
                    kind, &cursor, into: &packet.second, source: source, destination: destination, length: length)
                tunnelPort = packet.second.destinationPort
            default:  // a third header, deep in tunnels: followed, not kept
                var extra = TransportHeader.empty
                read = readTransportHeader(
                    kind, &cursor, into: &extra, source: source, destination: destination, length: length)
                tunnelPort = extra.destinationPort
            }
            guard read else { return packet.markCutShort() }
            packet.headerCount = min(2, packet.headerCount + 1)
            if kind == .udp, depth < 3 { decodeUDPTunnel(port: tunnelPort, &cursor, &packet, depth: depth) }
        case 1, 58:
            if packet.transport == .none { packet.transport = .icmp }  // quoted headers inside are not followed
        case 47:
            decodeGRE(&cursor, &packet, depth: depth)
        case 4:
            if depth < 3 { decodeIPv4(&cursor, &packet, depth: depth + 1) }
        case 41:
            if depth < 3 { decodeIPv6(&cursor, &packet, depth: depth + 1) }
        default:
            if packet.transport == .none { packet.transport = .other }
        }
    }

    /// Reads a TCP or UDP header into `header`, field by field; false if the capture cut it.
    func readTransportHeader(
        _ proto: TransportProtocol, _ cursor: inout Cursor, into header: inout TransportHeader, source: IPAddress,
        destination: IPAddress, length: Int
    ) -> Bool {
        guard cursor.has(proto == .tcp ? 20 : 8) else { return false }
        let sourcePort = cursor.u16(ahead: 0), destinationPort = cursor.u16(ahead: 2)
        switch proto {
        case .tcp:
            let headerLength = Int(cursor.u8(ahead: 12) >> 4) * 4
            header.tcpFlags = cursor.u8(ahead: 13)
            header.sequence = cursor.u32(ahead: 4)
            header.acknowledgement = cursor.u32(ahead: 8)
            header.payloadLength = max(0, length - headerLength)
            header.udpChecksum = 0
            // Options beyond the fixed 20 bytes are skipped as far as they were captured.
            _ = cursor.skip(20)
            _ = cursor.skip(max(0, headerLength - 20))
        case .udp:
            let udpLength = cursor.u16(ahead: 4)
            header.tcpFlags = 0
            header.sequence = 0
            header.acknowledgement = 0
            header.payloadLength = udpLength >= 8 ? min(Int(udpLength), max(length, 8)) - 8 : max(0, length - 8)
            header.udpChecksum = cursor.u16(ahead: 6)
            _ = cursor.skip(8)
        }
        header.proto = proto
        header.source = source
        header.destination = destination
        header.sourcePort = sourcePort
        header.destinationPort = destinationPort
        return true
    }

    /// VXLAN (UDP 4789) and Geneve (UDP 6081) carry Ethernet frames: their inner TCP/UDP counts too.
    func decodeUDPTunnel(port: UInt16, _ cursor: inout Cursor, _ packet: inout DecodedPacket, depth: Int) {
        if port == 4789 {
            guard let flags = cursor.u8(), flags & 0x08 != 0, cursor.skip(7) else { return }
            decodeEthernet(&cursor, &packet, depth: depth + 1)
        } else if port == 6081 {
            guard let first = cursor.u8(), cursor.skip(1), let proto = cursor.u16(),
                cursor.skip(4 + Int(first & 0x3F) * 4)
            else { return }
            if proto == 0x6558 {
                decodeEthernet(&cursor, &packet, depth: depth + 1)
            } else {
                decodeEtherType(proto, &cursor, &packet, depth: depth + 1)
            }
        }
    }

    /// GRE (RFC 2784/2890) and PPTP's enhanced GRE (RFC 2637): follow IP, PPP and Ethernet inside.
    func decodeGRE(_ cursor: inout Cursor, _ packet: inout DecodedPacket, depth: Int) {
        if packet.transport == .none { packet.transport = .other }
        guard depth < 3, let flags = cursor.u16(), let proto = cursor.u16() else { return }
        let version = flags & 0x7
        if version == 0 {
            if flags & 0x8000 != 0 { guard cursor.skip(4) else { return } }  // checksum + reserved
            if flags & 0x2000 != 0 { guard cursor.skip(4) else { return } }  // key
            if flags & 0x1000 != 0 { guard cursor.skip(4) else { return } }  // sequence
        } else if version == 1 {
            guard cursor.skip(4) else { return }  // payload length + call id
            if flags & 0x1000 != 0 { guard cursor.skip(4) else { return } }  // sequence
            if flags & 0x0080 != 0 { guard cursor.skip(4) else { return } }  // acknowledgement
        } else {
            return
        }
        switch proto {
        case 0x880B: if cursor.remaining > 0 { decodePPP(&cursor, &packet, depth: depth + 1) }
        case 0x6558: decodeEthernet(&cursor, &packet, depth: depth + 1)
        default: decodeEtherType(proto, &cursor, &packet, depth: depth + 1)
        }
    }
}

extension DecodedPacket {
    mutating func markCutShortIf(_ condition: Bool) {
        if condition { cutShort = true }
    }
}
