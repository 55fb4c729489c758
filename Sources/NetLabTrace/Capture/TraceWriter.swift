import CPcap

/// Writes a pcap file (nanosecond timestamps) through libpcap's dump API, so that tcpdump,
/// tshark and Wireshark read it as they read their own.
public final class TraceWriter {
    public let path: String
    private let dead: OpaquePointer
    private let dumper: OpaquePointer
    private var closed = false
    public private(set) var packetsWritten = 0

    /// Creates (or replaces) `path` for packets of `linkType` (1 = Ethernet).
    /// - Throws: ``TraceError`` if the file cannot be created.
    public init(path: String, linkType: Int32 = 1, snapshotLength: Int32 = 262_144) throws(TraceError) {
        self.path = path
        guard let handle = PcapCalls.openDead(linkType: linkType, snapshotLength: snapshotLength) else {
            throw TraceError(kind: .unsupported, file: path, problem: "libpcap cannot write link type \(linkType)", fix: "use link type 1 (Ethernet)")
        }
        dead = handle
        do {
            dumper = try PcapCalls.dumpOpen(handle, path: path)
        } catch {
            PcapCalls.close(handle)
            throw error
        }
    }

    /// Appends one packet: `bytes` as captured, `wireLength` as it was on the wire (at least
    /// `bytes.count`), at `timestampNanoseconds` since the Unix epoch.
    public func write(_ bytes: UnsafeRawBufferPointer, wireLength: Int? = nil, timestampNanoseconds: Int64) {
        precondition(!closed, "write after close")
        var header = pcap_pkthdr()
        header.ts.tv_sec = Int(timestampNanoseconds / 1_000_000_000)
        header.ts.tv_usec = Int(timestampNanoseconds % 1_000_000_000)  // nanoseconds: opened with nanosecond precision
        header.caplen = UInt32(bytes.count)
        header.len = UInt32(max(wireLength ?? bytes.count, bytes.count))
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        PcapCalls.dump(dumper, header: &header, bytes: base)
        packetsWritten += 1
    }

    /// Flushes and closes the file.
    /// - Throws: ``TraceError`` if not everything could be written.
    public func close() throws(TraceError) {
        guard !closed else { return }
        closed = true
        defer { PcapCalls.close(dead) }
        try PcapCalls.dumpClose(dumper, path: path)
    }

    deinit {
        if !closed { try? close() }
    }
}

/// Builds Ethernet/IPv4/TCP-or-UDP frames with correct lengths and checksums, for tests,
/// benchmarks and simulated traces.
public enum FrameBuilder {
    /// A complete Ethernet frame carrying `payloadLength` zero bytes.
    public static func frame(
        proto: TransportProtocol, source: (address: UInt32, port: UInt16), destination: (address: UInt32, port: UInt16),
        payloadLength: Int, sequence: UInt32 = 0, acknowledgement: UInt32 = 0, tcpFlags: UInt8 = 0x18
    ) -> [UInt8] {
        let transportLength = proto == .tcp ? 20 : 8
        let ipLength = 20 + transportLength + payloadLength
        var bytes = [UInt8](repeating: 0, count: 14 + ipLength)
        // Ethernet: locally administered MACs, IPv4.
        bytes[0...5] = [0x02, 0, 0, 0, 0, 0x02]
        bytes[6...11] = [0x02, 0, 0, 0, 0, 0x01]
        bytes[12] = 0x08
        // IPv4 header.
        var ip = [UInt8](repeating: 0, count: 20)
        ip[0] = 0x45
        ip[2] = UInt8(ipLength >> 8); ip[3] = UInt8(ipLength & 0xFF)
        ip[6] = 0x40  // don't fragment
        ip[8] = 64
        ip[9] = proto.rawValue
        put32(&ip, 12, source.address)
        put32(&ip, 16, destination.address)
        let checksum = internetChecksum(ip)
        ip[10] = UInt8(checksum >> 8); ip[11] = UInt8(checksum & 0xFF)
        bytes[14..<34] = ip[0..<20]
        // Transport header.
        let t = 34
        bytes[t] = UInt8(source.port >> 8); bytes[t + 1] = UInt8(source.port & 0xFF)
        bytes[t + 2] = UInt8(destination.port >> 8); bytes[t + 3] = UInt8(destination.port & 0xFF)
        if proto == .tcp {
            var header = Array(bytes[t..<t + 20])
            put32(&header, 4, sequence)
            put32(&header, 8, acknowledgement)
            header[12] = 0x50
            header[13] = tcpFlags
            header[14] = 0xFF; header[15] = 0xFF  // window
            bytes[t..<t + 20] = header[0..<20]
        } else {
            let udpLength = 8 + payloadLength
            bytes[t + 4] = UInt8(udpLength >> 8); bytes[t + 5] = UInt8(udpLength & 0xFF)
        }
        // Transport checksum over the pseudo-header.
        var pseudo: [UInt8] = []
        pseudo.append(contentsOf: bytes[26..<34])
        pseudo.append(contentsOf: [0, proto.rawValue, UInt8((transportLength + payloadLength) >> 8), UInt8((transportLength + payloadLength) & 0xFF)])
        pseudo.append(contentsOf: bytes[t...])
        var transportChecksum = internetChecksum(pseudo)
        if proto == .udp && transportChecksum == 0 { transportChecksum = 0xFFFF }
        let checksumOffset = t + (proto == .tcp ? 16 : 6)
        bytes[checksumOffset] = UInt8(transportChecksum >> 8); bytes[checksumOffset + 1] = UInt8(transportChecksum & 0xFF)
        return bytes
    }

    static func put32(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        bytes[offset] = UInt8(value >> 24); bytes[offset + 1] = UInt8(value >> 16 & 0xFF)
        bytes[offset + 2] = UInt8(value >> 8 & 0xFF); bytes[offset + 3] = UInt8(value & 0xFF)
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
