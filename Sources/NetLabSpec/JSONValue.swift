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
        writeUTF8(indent: indent) { output.write(String(decoding: $0, as: UTF8.self)) }
    }

    /// Writes the document as ``rendered(indent:)`` returns it, as UTF-8 bytes handed to `deliver`
    /// in pieces of about `pieceSize` bytes (each ends between two characters): the fast way to
    /// stream a large report out to a file.
    public func writeUTF8(indent: Int? = 2, pieceSize: Int = 1 << 16, to deliver: ([UInt8]) -> Void) {
        var writer = JSONWriter(indent: indent, pieceSize: pieceSize)
        writer.writeDocument(self, to: deliver)
    }
}
