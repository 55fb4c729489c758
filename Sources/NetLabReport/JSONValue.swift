import NetLabCore

/// A JSON document built in code and printed with keys in the order given, so that output is
/// stable byte for byte and matches the field order documented in docs/output.md.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.rendered(indent: nil) == rhs.rendered(indent: nil)
    }

    /// The document as text: pretty with two-space indents by default, on one line with `indent: nil`.
    public func rendered(indent: Int? = 2) -> String {
        var output = ""
        write(to: &output, indent: indent, depth: 0)
        if indent != nil { output.append("\n") }
        return output
    }

    private func write(to output: inout String, indent: Int?, depth: Int) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .integer(let value): output.append(String(value))
        case .number(let value): output.append(Self.format(value))
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let items):
            writeContainer(items.map { (nil, $0) }, open: "[", close: "]", to: &output, indent: indent, depth: depth)
        case .object(let fields):
            writeContainer(
                fields.map { ($0.0, $0.1) }, open: "{", close: "}", to: &output, indent: indent, depth: depth)
        }
    }

    private func writeContainer(
        _ items: [(String?, JSONValue)], open: String, close: String, to output: inout String, indent: Int?, depth: Int
    ) {
        output.append(open)
        guard !items.isEmpty else { return output.append(close) }
        let inner = indent.map { "\n" + String(repeating: " ", count: $0 * (depth + 1)) } ?? ""
        for (index, (key, value)) in items.enumerated() {
            if index > 0 { output.append(",") }
            output.append(inner)
            if let key {
                Self.writeString(key, to: &output)
                output.append(indent == nil ? ":" : ": ")
            }
            value.write(to: &output, indent: indent, depth: depth + 1)
        }
        output.append(indent.map { "\n" + String(repeating: " ", count: $0 * depth) } ?? "")
        output.append(close)
    }

    /// Shortest text that reads back as the same Double (Swift's own algorithm, the same on every
    /// machine); whole numbers print without a fraction; NaN and infinities, which JSON lacks, as null.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(saturating: value)) }
        return String(value)
    }

    private static func writeString(_ value: String, to output: inout String) {
        appendJSONString(value, to: &output)
    }
}
