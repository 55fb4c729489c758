import CPcap

/// One packet record as libpcap hands it over. `bytes` is valid only during the callback that
/// receives it: nothing is copied.
public struct CapturedPacket {
    /// 1-based position in the file.
    public var number: Int
    /// Capture time in nanoseconds since the Unix epoch. libpcap gives pcapng Simple Packet
    /// Blocks, which carry no timestamp, a time of 0; netlab cannot tell those from a real 0.
    public var timestampNanoseconds: Int64
    /// Bytes present in the file.
    public var capturedLength: Int
    /// Bytes the packet had on the wire.
    public var wireLength: Int
    public var bytes: UnsafeRawBufferPointer

    public init(
        number: Int, timestampNanoseconds: Int64, capturedLength: Int, wireLength: Int, bytes: UnsafeRawBufferPointer
    ) {
        self.number = number
        self.timestampNanoseconds = timestampNanoseconds
        self.capturedLength = capturedLength
        self.wireLength = wireLength
        self.bytes = bytes
    }

    /// Whether the capture cut the packet short (snap length).
    public var isTruncated: Bool { capturedLength < wireLength }
}

/// The container format of a capture file.
public enum CaptureFormat: String, Sendable {
    case pcap, pcapng
}

/// Reads a pcap or pcapng file through libpcap, streaming: memory does not grow with the file.
public final class TraceReader {
    public let path: String
    public let format: CaptureFormat
    /// The file's link type (LINKTYPE_/DLT_ value) and its name (`EN10MB`, `LINUX_SLL`, ...).
    public let linkType: Int32
    public let linkTypeName: String
    public let snapshotLength: Int32
    /// Records whose captured length in the file exceeds the snapshot length: libpcap keeps only
    /// the snapshot length of them (tshark keeps all). Packet number, byte offset, length in file.
    public private(set) var clampedRecords: [(packet: Int, byteOffset: Int64, fileLength: Int)] = []
    /// The one capturing interface whose packets are read (`--interface`), nil for all.
    public let interface: String?
    /// With `interface` set: packets of every interface the file holds, the skipped ones
    /// included, labelled by name (pcapng: `name#ID` where several share it, `#ID` where one has
    /// none) or by index (LINUX_SLL2).
    public private(set) var packetsByInterface: [String: Int] = [:]
    /// With `interface` set: packets skipped because another interface captured them.
    public private(set) var otherInterfacePackets = 0
    private let handle: OpaquePointer
    private var selection: InterfaceSelection?

    /// Opens `path`; with `interface`, only the packets that interface captured are read.
    /// - Throws: ``TraceError`` for a missing, unreadable, non-capture or unsupported file, and
    ///   for an interface the file does not record.
    public init(path: String, interface: String? = nil) throws(TraceError) {
        self.path = path
        handle = try PcapCalls.openOffline(path)
        let magic = PcapCalls.leadingBytes(path, count: 4) ?? []
        format = magic == [0x0A, 0x0D, 0x0D, 0x0A] ? .pcapng : .pcap
        linkType = PcapCalls.linkType(handle)
        linkTypeName = PcapCalls.linkTypeName(linkType)
        snapshotLength = PcapCalls.snapshotLength(handle)
        self.interface = interface
        // Bits 16-25 of the link-type field are reserved and must be zero (pcap file format).
        if linkType & 0x03FF_0000 != 0 {
            let hex = String(UInt32(bitPattern: linkType) & 0x03FF_0000, radix: 16)
            // Every property is set, so deinit runs and closes the handle.
            throw TraceError(
                kind: .notACapture, file: path, byteOffset: 20,
                problem:
                    "the header's link-type field has reserved bits set (0x\(String(repeating: "0", count: max(0, 8 - hex.count)) + hex)); the file is corrupt",
                fix: "recapture, or repair the header with a tool such as pcapfix")
        }
        if let interface {
            selection = try InterfaceSelection(interface, path: path, format: format, linkType: linkType)
        }
    }

    deinit {
        PcapCalls.close(handle)
    }

    /// Calls `body` with every packet in file order (only `interface`'s, when set).
    /// - Throws: ``TraceError`` (kind `.damaged`) naming the packet number and byte offset where
    ///   the file stops making sense; `body` has by then seen every packet before that point.
    public func forEachPacket(_ body: (CapturedPacket) -> Void) throws(TraceError) {
        var number = 0
        // Where the next pcap record starts, tracked here because asking the stream (ftello)
        // costs a system call per packet. pcap: a 24-byte file header, then 16-byte record
        // headers each followed by its captured bytes.
        var offset: Int64 = 24
        var walker = selection?.walker
        defer { walker?.close() }
        while true {
            switch PcapCalls.next(handle) {
            case .end:
                if format == .pcap, let size = PcapCalls.fileSize(path), size > offset {
                    // More bytes than the records libpcap returned: some were cut to the snapshot
                    // length. Find which, on the slow path.
                    clampedRecords = findClampedRecords()
                }
                return
            case .failure(let message):
                throw damage(
                    message, packet: number + 1, offset: format == .pcap ? offset : PcapCalls.fileOffset(handle))
            case .packet(let header, let data):
                number += 1
                offset += 16 + Int64(header.pointee.caplen)
                var seconds = Int64(header.pointee.ts.tv_sec)
                // The pcap format stores seconds as an unsigned 32-bit field, which libpcap 1.10
                // hands over sign-extended: times past 2038 come out negative.
                if format == .pcap, seconds < 0 { seconds += 1 << 32 }
                let fraction = Int64(header.pointee.ts.tv_usec)  // nanoseconds: opened with nanosecond precision
                let bytes = UnsafeRawBufferPointer(start: data, count: Int(header.pointee.caplen))
                if let selection {
                    guard let (name, chosen) = selection.interface(of: bytes, walker: &walker) else {
                        throw TraceError(
                            kind: .damaged, file: path, packet: number, byteOffset: PcapCalls.fileOffset(handle),
                            problem:
                                "the file's block structure does not say which interface captured this packet, though libpcap read it",
                            fix: "read it without --interface, or rewrite it with tshark -r FILE -w copy.pcapng")
                    }
                    packetsByInterface[name, default: 0] += 1
                    if !chosen {
                        otherInterfacePackets += 1
                        continue
                    }
                }
                body(
                    CapturedPacket(
                        number: number, timestampNanoseconds: seconds &* 1_000_000_000 &+ fraction,
                        capturedLength: Int(header.pointee.caplen), wireLength: Int(header.pointee.len), bytes: bytes))
            }
        }
    }

    /// Re-reads the file, asking the stream where each record ends, to find records that hold
    /// more captured bytes than the snapshot length (libpcap keeps only that many).
    private func findClampedRecords() -> [(packet: Int, byteOffset: Int64, fileLength: Int)] {
        guard let second = try? PcapCalls.openOffline(path) else { return [] }
        defer { PcapCalls.close(second) }
        var found: [(packet: Int, byteOffset: Int64, fileLength: Int)] = []
        var number = 0
        while true {
            let before = PcapCalls.fileOffset(second)
            guard case .packet(let header, _) = PcapCalls.next(second) else { return found }
            number += 1
            if let before, let after = PcapCalls.fileOffset(second) {
                let inFile = Int(after - before) - 16
                if inFile > Int(header.pointee.caplen) { found.append((number, before, inFile)) }
            }
        }
    }

    private func damage(_ message: String, packet: Int, offset: Int64?) -> TraceError {
        let read = packet - 1
        let before = "the \(read) packet\(read == 1 ? "" : "s") before it \(read == 1 ? "was" : "were") read"
        if message.contains("different from the type of the first interface")
            || message.contains("different from the snapshot length")
        {
            return TraceError(
                kind: .unsupported, file: path, packet: packet, byteOffset: offset,
                problem:
                    "a pcapng file whose interfaces differ in link type or snapshot length, which libpcap 1.10 cannot read (\(message)); \(before)",
                fix:
                    "split it per interface, e.g. tshark -r FILE -Y 'frame.interface_id == 0' -w part0.pcapng, and inspect each part"
            )
        }
        if message.contains("truncated") {
            return TraceError(
                kind: .damaged, file: path, packet: packet, byteOffset: offset,
                problem: "the file is cut short inside this packet (\(message)); \(before)",
                fix: "recapture or copy the file again; the results cover only the packets before the cut")
        }
        if message.contains("bigger than snaplen") || message.contains("larger than")
            || message.contains("capture length")
        {
            return TraceError(
                kind: .damaged, file: path, packet: packet, byteOffset: offset,
                problem: "a record longer than the file's snapshot length (\(message)); \(before)",
                fix: "the file is corrupt from here; repair it (e.g. pcapfix) or recapture")
        }
        return TraceError(
            kind: .damaged, file: path, packet: packet, byteOffset: offset,
            problem: "libpcap stopped: \(message); \(before)",
            fix:
                "the file is damaged or uses a pcapng feature libpcap 1.10 cannot read; try tshark -r FILE -w copy.pcapng and inspect the copy"
        )
    }
}
