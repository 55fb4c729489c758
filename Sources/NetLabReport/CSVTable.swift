/// Comma-separated values for programs (RFC 4180): a header line, then one line per row; fields
/// holding commas, quotes or line breaks are quoted, quotes doubled.
public struct CSVTable: Sendable {
    public var header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) {
        self.header = header
    }

    /// - Precondition: as many fields as the header.
    public mutating func append(_ fields: [String]) {
        precondition(fields.count == header.count, "CSV row has \(fields.count) fields, header has \(header.count)")
        rows.append(fields)
    }

    public func rendered() -> String {
        ([header] + rows).map { $0.map(Self.escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        var escaped = "\""
        for character in field {
            escaped.append(character)
            if character == "\"" { escaped.append("\"") }
        }
        return escaped + "\""
    }
}
