import Glibc
import NetLabTrace

/// The packet decoder and the conversation tracker. An input that starts like a pcap or pcapng
/// file is read whole through libpcap (`netlab inspect`'s path); any other is a link type (its
/// first byte picks one of those netlab decodes) followed by frames, each preceded by its length
/// in two bytes, fed to one scanner so that fragments and conversations span frames.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCapture(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if size >= 4 {
        let magic = UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
        if [0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1, 0x0A0D_0D0A].contains(magic) {
            inspectFile(bytes)
            return 0
        }
    }
    guard size > 0 else { return 0 }
    let linkTypes: [Int32] = [1, 113, 276, 12, 14, 101, 228, 229, 0, 108, 9, 239, 127]
    var scanner = ConversationScanner(linkType: linkTypes[Int(bytes[0]) % linkTypes.count])
    var offset = 1, number = 1
    while offset + 2 <= size {
        let length = min(Int(bytes[offset]) << 8 | Int(bytes[offset + 1]), size - offset - 2)
        let frame = UnsafeRawBufferPointer(rebasing: bytes[(offset + 2)..<(offset + 2 + length)])
        let packet = CapturedPacket(
            number: number, timestampNanoseconds: Int64(number) * 1000, capturedLength: length,
            wireLength: length + Int(bytes[offset] & 0x0F), bytes: frame)
        scanner.scan(packet)
        offset += 2 + length
        number += 1
    }
    _ = scanner.conversations
    return 0
}

/// Writes the input to a file and inspects it as `netlab inspect` does, whole and (`--interface`,
/// which walks a pcapng file's blocks beside libpcap) one interface only.
func inspectFile(_ bytes: UnsafeRawBufferPointer) {
    let path = "/tmp/netlab-fuzz-\(getpid()).pcap"
    guard let file = fopen(path, "wb") else { return }
    fwrite(bytes.baseAddress, 1, bytes.count, file)
    fclose(file)
    _ = try? TraceInspector.inspect(path: path)
    _ = try? TraceInspector.inspect(path: path, interface: "0")
    unlink(path)
}
