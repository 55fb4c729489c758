#if canImport(Glibc)
    import Glibc
#endif

/// Reads a pcapng file's block structure beside libpcap, which (1.10) hands over packets without
/// saying which interface captured them: the interfaces the file declares (Interface Description
/// Blocks, with their `if_name`) and, packet block by packet block in file order, the interface
/// of each packet libpcap returns. Only block headers and interface descriptions are read; packet
/// bytes are skipped.
struct PcapngInterfaces {
    /// One interface a section declares.
    struct Interface: Equatable {
        /// Its index in its section, as packet blocks refer to it.
        var id: Int
        /// Its `if_name` option (`eth0`, `cni0`, ...), nil when the file does not say.
        var name: String?
    }

    private let file: UnsafeMutablePointer<FILE>
    private var bigEndian = false
    /// The interfaces of the section being read.
    private(set) var interfaces: [Interface] = []

    /// Opens `path` for a walk of its blocks; nil if it cannot be opened.
    init?(path: String) {
        guard let file = fopen(path, "rb") else { return nil }
        setvbuf(file, nil, _IOFBF, 1 << 20)
        self.file = file
    }

    /// Closes the file.
    func close() { fclose(file) }

    /// Every interface the file declares, in order, across sections; nil if the file cannot be
    /// read as pcapng.
    static func declared(in path: String) -> [Interface]? {
        guard var walker = PcapngInterfaces(path: path) else { return nil }
        defer { walker.close() }
        var all: [Interface] = []
        var seenInSection = 0
        while let block = walker.nextBlock() {
            switch block {
            case .section: seenInSection = 0
            case .interface:
                if walker.interfaces.count > seenInSection {
                    all.append(contentsOf: walker.interfaces[seenInSection...])
                    seenInSection = walker.interfaces.count
                }
            case .packet, .other: continue
            case .malformed: return nil
            }
        }
        return all
    }

    /// The interface of the next packet block (enhanced, simple or obsolete packet block), the
    /// blocks before it read on the way; nil at the end of the file or where its structure stops
    /// making sense.
    mutating func nextPacketInterface() -> Interface? {
        while let block = nextBlock() {
            switch block {
            case .packet(let id):
                return id < interfaces.count ? interfaces[id] : Interface(id: id, name: nil)
            case .section, .interface, .other: continue
            case .malformed: return nil
            }
        }
        return nil
    }

    private enum Block {
        case section, interface, packet(interface: Int), other, malformed
    }

    /// Reads the next block; nil at a clean end of file.
    private mutating func nextBlock() -> Block? {
        var header = (UInt32(0), UInt32(0))
        guard fread(&header, 8, 1, file) == 1 else { return nil }
        let type = header.0  // the section header's type reads the same in either byte order
        if type == 0x0A0D_0D0A {
            var order = UInt32(0)
            guard fread(&order, 4, 1, file) == 1 else { return .malformed }
            switch order {
            case 0x1A2B_3C4D: bigEndian = false
            case 0x4D3C_2B1A: bigEndian = true
            default: return .malformed
            }
            interfaces = []
            return skip(to: word(header.1), from: 12) ? .section : .malformed
        }
        let length = word(header.1)
        guard length >= 12, length % 4 == 0 else { return .malformed }
        switch word(type) {
        case 1:  // interface description: its body without the trailing length, at most 64 KiB
            // of it (a damaged length must not make the walk allocate gigabytes)
            var body = [UInt8](repeating: 0, count: min(Int(length) - 12, 1 << 16))
            guard fread(&body, 1, body.count, file) == body.count, skip(to: length, from: 8 + body.count) else {
                return .malformed
            }
            interfaces.append(Interface(id: interfaces.count, name: name(inInterfaceBody: body)))
            return .interface
        case 6:  // enhanced packet: interface id first
            var id = UInt32(0)
            guard fread(&id, 4, 1, file) == 1, skip(to: length, from: 12) else { return .malformed }
            return .packet(interface: Int(word(id)))
        case 3:  // simple packet: always interface 0
            return skip(to: length, from: 8) ? .packet(interface: 0) : .malformed
        case 2:  // obsolete packet block: a 16-bit interface id
            var id = UInt16(0)
            guard fread(&id, 2, 1, file) == 1, skip(to: length, from: 10) else { return .malformed }
            return .packet(interface: Int(bigEndian ? UInt16(bigEndian: id) : UInt16(littleEndian: id)))
        default:
            return skip(to: length, from: 8) ? .other : .malformed
        }
    }

    /// A 32-bit field in the section's byte order.
    private func word(_ raw: UInt32) -> UInt32 { bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw) }

    /// Moves past the rest of a block of `length` bytes of which `consumed` were read.
    private func skip(to length: UInt32, from consumed: Int) -> Bool {
        let rest = Int(length) - consumed
        return rest >= 0 && fseeko(file, off_t(rest), SEEK_CUR) == 0
    }

    /// The `if_name` option (code 2) of an interface description's body (link type, reserved,
    /// snapshot length, then options), nil if absent.
    private func name(inInterfaceBody body: [UInt8]) -> String? {
        var offset = 8
        while offset + 4 <= body.count {
            let code = half(body, offset), length = Int(half(body, offset + 2))
            if code == 0 { return nil }  // opt_endofopt
            let start = offset + 4
            guard start + length <= body.count else { return nil }
            if code == 2 {
                let bytes = body[start..<start + length].prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            offset = start + (length + 3) / 4 * 4
        }
        return nil
    }

    private func half(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        let raw = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
        return bigEndian ? raw.byteSwapped : raw
    }
}
