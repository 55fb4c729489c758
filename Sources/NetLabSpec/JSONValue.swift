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
    /// An array whose items are made as they are written, one at a time: a cluster's report has
    /// a hundred thousand flows, and holding all their items at once added over a third to the
    /// run's peak memory (625 against 463 MB).
    case items(count: Int, item: @Sendable (Int) -> JSONValue)
    case object([(String, JSONValue)])

    /// Documents are equal when they print the same (on one line): the order of an object's keys
    /// counts, and an array made item by item equals the same array built whole.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.rendered(indent: nil) == rhs.rendered(indent: nil)
    }

    /// The document as text: pretty with two-space indents by default, on one line with `indent: nil`.
    public func rendered(indent: Int? = 2) -> String {
        var output = ""
        write(to: &output, indent: indent)
        return output
    }

    /// Writes the document to `output` as ``rendered(indent:)`` returns it, piece by piece, so that
    /// a large report streams out without being held whole as text.
    public func write<Target: TextOutputStream>(to output: inout Target, indent: Int? = 2) {
        write(to: &output, indent: indent, depth: 0)
        if indent != nil { output.write("\n") }
    }

    private func write<Target: TextOutputStream>(to output: inout Target, indent: Int?, depth: Int) {
        switch self {
        case .null: output.write("null")
        case .bool(let value): output.write(value ? "true" : "false")
        case .integer(let value): output.write(String(value))
        case .number(let value): output.write(Self.format(value))
        case .string(let value): appendJSONString(value, to: &output)
        case .array(let items):
            guard !items.isEmpty else { return output.write("[]") }
            output.write("[")
            for (index, item) in items.enumerated() {
                Self.beginItem(index, to: &output, indent: indent, depth: depth)
                item.write(to: &output, indent: indent, depth: depth + 1)
            }
            Self.endContainer("]", to: &output, indent: indent, depth: depth)
        case .items(let count, let item):
            guard count > 0 else { return output.write("[]") }
            output.write("[")
            for index in 0..<count {
                Self.beginItem(index, to: &output, indent: indent, depth: depth)
                item(index).write(to: &output, indent: indent, depth: depth + 1)
            }
            Self.endContainer("]", to: &output, indent: indent, depth: depth)
        case .object(let fields):
            guard !fields.isEmpty else { return output.write("{}") }
            output.write("{")
            for (index, (key, value)) in fields.enumerated() {
                Self.beginItem(index, to: &output, indent: indent, depth: depth)
                appendJSONString(key, to: &output)
                output.write(indent == nil ? ":" : ": ")
                value.write(to: &output, indent: indent, depth: depth + 1)
            }
            Self.endContainer("}", to: &output, indent: indent, depth: depth)
        }
    }

    /// The separator before the item at `index` of a container at `depth`, and its indent.
    private static func beginItem<Target: TextOutputStream>(
        _ index: Int, to output: inout Target, indent: Int?, depth: Int
    ) {
        if index > 0 { output.write(",") }
        if let indent { Self.newLine(indenting: indent * (depth + 1), to: &output) }
    }

    private static func endContainer<Target: TextOutputStream>(
        _ close: String, to output: inout Target, indent: Int?, depth: Int
    ) {
        if let indent { Self.newLine(indenting: indent * depth, to: &output) }
        output.write(close)
    }

    private static let spaces = String(repeating: " ", count: 64)

    private static func newLine<Target: TextOutputStream>(indenting width: Int, to output: inout Target) {
        output.write("\n")
        var left = width
        while left > 0 {
            let run = min(left, 64)
            output.write(run == 64 ? spaces : String(spaces.prefix(run)))
            left -= run
        }
    }

    /// Shortest text that reads back as the same Double (Swift's own algorithm, the same on every
    /// machine); whole numbers print without a fraction; NaN and infinities, which JSON lacks, as null.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(saturating: value)) }
        return String(value)
    }
}
