import CPcap

#if canImport(Glibc)
    import Glibc
#endif

/// Every libpcap call netlab makes, each turning failure into a ``TraceError`` in one place.
/// Each wrapper names the C function it calls.
enum PcapCalls {
    /// `pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf)`:
    /// pcap (µs or ns, either byte order) and pcapng through one path, timestamps in nanoseconds.
    static func openOffline(_ path: String) throws(TraceError) -> OpaquePointer {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard
            let handle = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
        else {
            let message = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw openError(path: path, message: message)
        }
        return handle
    }

    /// The outcome of `pcap_next_ex`.
    enum Next {
        case packet(UnsafePointer<pcap_pkthdr>, UnsafePointer<UInt8>)
        case end
        case failure(String)
    }

    /// `pcap_next_ex(handle, &header, &data)`.
    static func next(_ handle: OpaquePointer) -> Next {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(handle, &header, &data) {
        case 1: return .packet(UnsafePointer(header!), data!)
        case PCAP_ERROR_BREAK: return .end
        default: return .failure(lastError(handle))
        }
    }

    /// `pcap_datalink(handle)`.
    static func linkType(_ handle: OpaquePointer) -> Int32 { pcap_datalink(handle) }

    /// `pcap_datalink_val_to_name(type)`, or `DLT_<n>` for types libpcap has no name for.
    static func linkTypeName(_ type: Int32) -> String {
        guard let name = pcap_datalink_val_to_name(type) else { return "DLT_\(type)" }
        return String(cString: name)
    }

    /// `pcap_snapshot(handle)`.
    static func snapshotLength(_ handle: OpaquePointer) -> Int32 { pcap_snapshot(handle) }

    /// `pcap_file(handle)` and `ftello`: where libpcap is in the file.
    static func fileOffset(_ handle: OpaquePointer) -> Int64? {
        guard let file = pcap_file(handle) else { return nil }
        let offset = ftello(file)
        return offset >= 0 ? Int64(offset) : nil
    }

    /// The size of a file in bytes (`stat`).
    static func fileSize(_ path: String) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int64(status.st_size)
    }

    /// `pcap_geterr(handle)`.
    static func lastError(_ handle: OpaquePointer) -> String { String(cString: pcap_geterr(handle)) }

    /// `pcap_close(handle)`.
    static func close(_ handle: OpaquePointer) { pcap_close(handle) }

    /// `pcap_open_dead_with_tstamp_precision(linkType, snapshotLength, PCAP_TSTAMP_PRECISION_NANO)`.
    static func openDead(linkType: Int32, snapshotLength: Int32) -> OpaquePointer? {
        pcap_open_dead_with_tstamp_precision(linkType, snapshotLength, UInt32(PCAP_TSTAMP_PRECISION_NANO))
    }

    /// `pcap_dump_open(handle, path)`.
    static func dumpOpen(_ handle: OpaquePointer, path: String) throws(TraceError) -> OpaquePointer {
        guard let dumper = pcap_dump_open(handle, path) else {
            throw TraceError(
                kind: .unreadable, file: path, problem: "cannot create: \(lastError(handle))",
                fix: "check that the folder exists and is writable")
        }
        return dumper
    }

    /// `pcap_dump(dumper, header, bytes)`.
    static func dump(_ dumper: OpaquePointer, header: inout pcap_pkthdr, bytes: UnsafePointer<UInt8>) {
        pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), &header, bytes)
    }

    /// `pcap_dump_flush(dumper)` then `pcap_dump_close(dumper)`.
    static func dumpClose(_ dumper: OpaquePointer, path: String) throws(TraceError) {
        let flushed = pcap_dump_flush(dumper)
        pcap_dump_close(dumper)
        guard flushed == 0 else {
            throw TraceError(
                kind: .unreadable, file: path, problem: "could not write all packets", fix: "check free disk space")
        }
    }

    /// The first bytes of a file, read with `fopen`/`fread`, to tell formats apart before libpcap does.
    static func leadingBytes(_ path: String, count: Int) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = fread(&bytes, 1, count, file)
        return Array(bytes.prefix(read))
    }

    /// Turns libpcap's open failure into an error that says what to do.
    static func openError(path: String, message: String) -> TraceError {
        if message.contains("No such file") {
            return TraceError(kind: .missingFile, file: path, problem: "no such file", fix: "check the path")
        }
        if message.contains("Permission denied") || message.contains("Is a directory") {
            return TraceError(
                kind: .unreadable, file: path, problem: "cannot be read (\(message))",
                fix: "give a readable capture file")
        }
        if message.contains("different from the type of the first interface")
            || message.contains("different from the snapshot length")
        {
            return TraceError(
                kind: .unsupported, file: path,
                problem:
                    "a pcapng file whose interfaces differ in link type or snapshot length, which libpcap 1.10 cannot read (\(message))",
                fix:
                    "split it per interface, e.g. tshark -r FILE -Y 'frame.interface_id == 0' -w part0.pcapng, and inspect each part"
            )
        }
        if let magic = leadingBytes(path, count: 4), magic.count == 4, !knownMagic(magic) {
            let hex = magic.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
            return TraceError(
                kind: .notACapture, file: path, byteOffset: 0,
                problem: "not a pcap or pcapng file (magic number 0x\(hex))",
                fix: "give a capture written by tcpdump, tshark or dumpcap (.pcap or .pcapng)")
        }
        if let magic = leadingBytes(path, count: 4), magic.count < 4 {
            return TraceError(
                kind: .notACapture, file: path, byteOffset: Int64(magic.count),
                problem: "too short to be a capture (\(magic.count) bytes)",
                fix: "give a complete .pcap or .pcapng file")
        }
        return TraceError(
            kind: .damaged, file: path, byteOffset: 0, problem: "libpcap cannot read its header: \(message)",
            fix: "check that the file is a complete, uncorrupted capture")
    }

    static func knownMagic(_ bytes: [UInt8]) -> Bool {
        let big = UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
        return [0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1, 0x0A0D_0D0A].contains(big)
    }
}
