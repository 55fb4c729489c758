/// `value` as a JSON string, appended to `output`: quotes, backslashes and control characters
/// escaped (the short forms where JSON has them, `\u00XX` otherwise), everything else as is. The
/// one JSON string writer: reports, shard files and manifests all write strings through it.
public func appendJSONString(_ value: String, to output: inout String) {
    output.append("\"")
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": output.append("\\\"")
        case "\\": output.append("\\\\")
        case "\n": output.append("\\n")
        case "\r": output.append("\\r")
        case "\t": output.append("\\t")
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
        default: output.unicodeScalars.append(scalar)
        }
    }
    output.append("\"")
}

/// `value` as a JSON string (see ``appendJSONString(_:to:)``).
public func jsonString(_ value: String) -> String {
    var output = ""
    appendJSONString(value, to: &output)
    return output
}
