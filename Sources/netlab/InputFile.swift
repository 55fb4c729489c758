import Foundation

/// The text of the file at `path` (a topology, map, profile, shard or result), refused with one
/// located line when it is a folder, missing, unreadable, larger than ``inputLimit`` (a text
/// input that large is a mistake, and reading it whole would take that much memory) or not UTF-8
/// (naming the byte where it stops being so).
func readInput(_ path: String) throws -> String {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    if exists, isDirectory.boolValue {
        throw InputError(source: path, location: nil, problem: "is a directory", fix: "give a file inside it")
    }
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > inputLimit {
        throw InputError(
            source: path, location: nil, problem: "is \(size / 1_048_576) MiB, more than a text input may be",
            fix: "give a file of at most \(inputLimit / 1_048_576) MiB (split a sweep into more shards)")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw InputError(
            source: path, location: nil, problem: exists ? "cannot be read" : "no such file",
            fix: exists ? "check its permissions" : "check the path")
    }
    guard let text = String(validating: data, as: UTF8.self) else {
        let offset = firstInvalidUTF8(in: data)
        throw InputError(
            source: path, location: "byte offset \(offset)", problem: "is not UTF-8 text",
            fix: "save it as UTF-8 (a text file: JSON or YAML)")
    }
    return text
}

/// The largest text input read: 256 MiB.
let inputLimit = 256 * 1_048_576

/// The offset of the first byte that does not continue a valid UTF-8 sequence.
private func firstInvalidUTF8(in data: Data) -> Int {
    let bytes = [UInt8](data)
    var index = 0
    while index < bytes.count {
        let lead = bytes[index]
        let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
        guard length > 0, index + length <= bytes.count else { return index }
        let rest = bytes[(index + 1)..<(index + length)]
        guard rest.allSatisfy({ $0 >> 6 == 0b10 }),
            String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil
        else { return index }
        index += length
    }
    return bytes.count
}
