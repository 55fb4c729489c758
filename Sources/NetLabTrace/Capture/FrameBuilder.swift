/// Builds Ethernet frames carrying IPv4 or IPv6 with a TCP or UDP header and zero payload bytes,
/// lengths and checksums correct, for simulated traces, tests and benchmarks.
public enum FrameBuilder {
    /// A frame from `source` to `destination` (both IPv4 or both IPv6) with `payloadLength` bytes of payload.
    /// - Precondition: the addresses are of one family and the IP packet fits in 65535 bytes.
    public static func frame(
        proto: TransportProtocol, source: Endpoint, destination: Endpoint, payloadLength: Int,
        sequence: UInt32 = 0, acknowledgement: UInt32 = 0, tcpFlags: UInt8 = 0x18
    ) -> [UInt8] {
        precondition(source.address.isIPv6 == destination.address.isIPv6, "addresses of different families")
        let v6 = source.address.isIPv6
        let transportLength = proto == .tcp ? 20 : 8
        let segmentLength = transportLength + payloadLength
        precondition(segmentLength + (v6 ? 0 : 20) <= 65_535, "packet too large")
        var bytes: [UInt8] = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01] + (v6 ? [0x86, 0xDD] : [0x08, 0x00])
        var addresses: [UInt8] = []
        if v6 {
            addresses =
                words(source.address.high) + words(source.address.low) + words(destination.address.high)
                + words(destination.address.low)
            bytes += [0x60, 0, 0, 0] + be16(segmentLength) + [proto.rawValue, 64] + addresses
        } else {
            addresses =
                be32(UInt32(truncatingIfNeeded: source.address.low))
                + be32(UInt32(truncatingIfNeeded: destination.address.low))
            var header = [0x45, 0] + be16(20 + segmentLength) + [0, 0, 0x40, 0, 64, proto.rawValue, 0, 0] + addresses
            let checksum = internetChecksum(header)
            header[10] = UInt8(checksum >> 8)
            header[11] = UInt8(checksum & 0xFF)
            bytes += header
        }
        var segment = be16(Int(source.port)) + be16(Int(destination.port))
        if proto == .tcp {
            segment += be32(sequence) + be32(acknowledgement) + [0x50, tcpFlags, 0xFF, 0xFF, 0, 0, 0, 0]
        } else {
            segment += be16(segmentLength) + [0, 0]
        }
        segment += [UInt8](repeating: 0, count: payloadLength)
        // Checksum over the pseudo-header (addresses, protocol, length) and the segment.
        let pseudo =
            addresses
            + (v6
                ? be32(UInt32(segmentLength)) + [0, 0, 0, proto.rawValue] : [0, proto.rawValue] + be16(segmentLength))
        var checksum = internetChecksum(pseudo + segment)
        if proto == .udp && checksum == 0 { checksum = 0xFFFF }
        let at = proto == .tcp ? 16 : 6
        segment[at] = UInt8(checksum >> 8)
        segment[at + 1] = UInt8(checksum & 0xFF)
        return bytes + segment
    }

    /// An IPv4 frame from numeric addresses (network order as UInt32).
    public static func frame(
        proto: TransportProtocol, source: (address: UInt32, port: UInt16), destination: (address: UInt32, port: UInt16),
        payloadLength: Int, sequence: UInt32 = 0, acknowledgement: UInt32 = 0, tcpFlags: UInt8 = 0x18
    ) -> [UInt8] {
        frame(
            proto: proto, source: Endpoint(address: IPAddress(ipv4: source.address), port: source.port),
            destination: Endpoint(address: IPAddress(ipv4: destination.address), port: destination.port),
            payloadLength: payloadLength, sequence: sequence, acknowledgement: acknowledgement, tcpFlags: tcpFlags)
    }

    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
    static func words(_ value: UInt64) -> [UInt8] {
        be32(UInt32(value >> 32)) + be32(UInt32(truncatingIfNeeded: value))
    }

    /// RFC 1071 one's-complement checksum.
    static func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }
}
