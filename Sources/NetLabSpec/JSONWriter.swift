import NetLabCore

/// Prints a ``JSONValue`` as UTF-8 bytes into a buffer that it hands on whenever the buffer
/// fills: a cluster's report runs to tens of megabytes, and writing it piece by piece as
/// `String`s cost a second per hundred thousand flows.
struct JSONWriter {
    private let indent: Int?
    private let pieceSize: Int
    private var bytes: [UInt8] = []

    init(indent: Int?, pieceSize: Int) {
        self.indent = indent
        self.pieceSize = pieceSize
        bytes.reserveCapacity(pieceSize + 4096)
    }

    /// Writes `value` as a whole document (ending in a newline when indented), handing the bytes
    /// to `deliver` whenever the buffer fills and what is left at the end.
    mutating func writeDocument(_ value: JSONValue, to deliver: ([UInt8]) -> Void) {
        write(value, depth: 0, to: deliver)
        if indent != nil { bytes.append(UInt8(ascii: "\n")) }
        if !bytes.isEmpty { deliver(bytes) }
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func write(_ value: JSONValue, depth: Int, to deliver: ([UInt8]) -> Void) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .integer(let number): appendDecimal(number)
        case .number(let number): appendNumber(number)
        case .string(let text): appendQuoted(text)
        case .array(let items):
            guard !items.isEmpty else { return append("[]") }
            append("[")
            for (index, item) in items.enumerated() {
                beginItem(index, depth: depth)
                write(item, depth: depth + 1, to: deliver)
            }
            endContainer("]", depth: depth)
        case .items(let count, let item):
            guard count > 0 else { return append("[]") }
            append("[")
            for index in 0..<count {
                beginItem(index, depth: depth)
                write(item(index), depth: depth + 1, to: deliver)
            }
            endContainer("]", depth: depth)
        case .object(let fields):
            guard !fields.isEmpty else { return append("{}") }
            append("{")
            for (index, (key, field)) in fields.enumerated() {
                beginItem(index, depth: depth)
                appendQuoted(key)
                append(indent == nil ? ":" : ": ")
                write(field, depth: depth + 1, to: deliver)
            }
            endContainer("}", depth: depth)
        }
        if bytes.count >= pieceSize {
            deliver(bytes)
            bytes.removeAll(keepingCapacity: true)
        }
    }

    /// The separator before the item at `index` of a container at `depth`, and its indent.
    private mutating func beginItem(_ index: Int, depth: Int) {
        if index > 0 { bytes.append(UInt8(ascii: ",")) }
        if let indent { newLine(indenting: indent * (depth + 1)) }
    }

    private mutating func endContainer(_ close: StaticString, depth: Int) {
        if let indent { newLine(indenting: indent * depth) }
        append(close)
    }

    private mutating func newLine(indenting width: Int) {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width))
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    private mutating func appendDecimal(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // Room for 20 digits, kept off the heap.
        withUnsafeMutableBytes(of: &digits) { room in
            var start = room.count
            repeat {
                start -= 1
                room[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: room[start...])
        }
    }

    /// Shortest text that reads back as the same Double (Swift's own algorithm, the same on every
    /// machine); whole numbers print without a fraction; NaN and infinities, which JSON lacks, as null.
    private mutating func appendNumber(_ value: Double) {
        guard value.isFinite else { return append("null") }
        if value == value.rounded(), abs(value) < 1e15 { return appendDecimal(Int64(saturating: value)) }
        append(String(value))
    }

    private mutating func appendQuoted(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            if utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                var escaped = ""
                appendJSONString(String(decoding: utf8, as: UTF8.self), to: &escaped)
                append(escaped)
            } else {
                bytes.append(UInt8(ascii: "\""))
                bytes.append(contentsOf: utf8)
                bytes.append(UInt8(ascii: "\""))
            }
        }
    }
}
