/// Comma-separated values for programs (RFC 4180): a header line, then one line per row; fields
/// holding commas, quotes or line breaks are quoted, quotes doubled.
public struct CSVTable: Sendable {
    /// The column names, in order.
    public var header: [String]
    public private(set) var rows: [[String]] = []

    /// A table with these columns and no rows.
    public init(header: [String]) {
        self.header = header
    }

    /// - Precondition: as many fields as the header.
    public mutating func append(_ fields: [String]) {
        precondition(fields.count == header.count, "CSV row has \(fields.count) fields, header has \(header.count)")
        rows.append(fields)
    }

    /// The table as text, appended field by field into one string (a cluster's table has millions
    /// of fields; joining arrays of them took a tenth of its run).
    public func rendered() -> String {
        var text = ""
        func append(_ row: [String]) {
            for (index, field) in row.enumerated() {
                if index > 0 { text += "," }
                text += Self.escape(field)
            }
            text += "\n"
        }
        append(header)
        for row in rows { append(row) }
        return text
    }

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
