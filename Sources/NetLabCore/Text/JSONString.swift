/// `value` as a JSON string, appended to `output`: quotes, backslashes and control characters
/// escaped (the short forms where JSON has them, `\u00XX` otherwise), everything else as is. The
/// one JSON string writer: reports, shard files and manifests all write strings through it.
public func appendJSONString<Target: TextOutputStream>(_ value: String, to output: inout Target) {
    guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
        // Nothing to escape (the usual case): one write.
        output.write("\"")
        output.write(value)
        output.write("\"")
        return
    }
    var escaped = "\""
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": escaped.append("\\\"")
        case "\\": escaped.append("\\\\")
        case "\n": escaped.append("\\n")
        case "\r": escaped.append("\\r")
        case "\t": escaped.append("\\t")
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            escaped.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    escaped.append("\"")
    output.write(escaped)
}

/// `value` as a JSON string (see ``appendJSONString(_:to:)``).
public func jsonString(_ value: String) -> String {
    var output = ""
    appendJSONString(value, to: &output)
    return output
}
