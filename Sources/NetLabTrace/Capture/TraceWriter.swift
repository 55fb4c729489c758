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
            throw TraceError(
                kind: .unsupported, file: path, problem: "libpcap cannot write link type \(linkType)",
                fix: "use link type 1 (Ethernet)")
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
