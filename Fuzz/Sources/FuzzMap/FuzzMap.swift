import NetLabReplay

/// A replay map file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMap(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ReplayMap.read(text, file: "fuzz.map.json")
    return 0
}
