import NetLabModel

/// A profile file (JSON or YAML), and the same text as a calibration measurements file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ProfileReader.read(text, file: "fuzz.json")
    _ = try? ProfileReader.read(text, file: "fuzz.yaml")
    _ = try? ProfileReader.measurements(text, file: "fuzz.json")
    return 0
}
