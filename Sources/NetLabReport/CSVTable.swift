/// Comma-separated values for programs (RFC 4180): a header line, then one line per row; fields
/// holding commas, quotes or line breaks are quoted, quotes doubled.
public struct CSVTable: Sendable {
    /// The column names, in order.
    public let header: [String]
    /// The table as text so far: each row is written as it is appended, not kept as fields (a
    /// cluster's table has millions of fields, and kept as strings they took more than twice the
    /// memory of the text).
    private var text = ""

    /// A table with these columns and no rows.
    public init(header: [String]) {
        self.header = header
        write(header)
    }

    /// - Precondition: as many fields as the header.
    public mutating func append(_ fields: [String]) {
        precondition(fields.count == header.count, "CSV row has \(fields.count) fields, header has \(header.count)")
        write(fields)
    }

    private mutating func write(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { text += "," }
            text += Self.escape(field)
        }
        text += "\n"
    }

    /// The table as text: the header line, then one line per row.
    public func rendered() -> String { text }

    static func escape(_ field: String) -> String {
        // By byte: a "\r\n" in a field is one Character, neither "\r" nor "\n", but must be quoted.
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            return field
        }
        var escaped = "\""
        for character in field {
            escaped.append(character)
            if character == "\"" { escaped.append("\"") }
        }
        return escaped + "\""
    }
}
