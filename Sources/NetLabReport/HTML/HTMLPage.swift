/// A self-contained HTML page: inline CSS, inline SVG, no script and nothing fetched, so that it
/// opens anywhere, prints, and can be attached to a review.
struct HTMLPage {
    var title: String
    private var body = ""

    init(title: String) { self.title = title }

    /// `text` safe inside HTML text and attribute values.
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }

    mutating func heading(_ text: String, level: Int = 2) { body += "<h\(level)>\(Self.escape(text))</h\(level)>\n" }
    mutating func paragraph(_ text: String, className: String? = nil) {
        body += "<p\(className.map { " class=\"\($0)\"" } ?? "")>\(Self.escape(text))</p>\n"
    }
    mutating func list(_ items: [String], className: String? = nil) {
        guard !items.isEmpty else { return }
        body +=
            "<ul\(className.map { " class=\"\($0)\"" } ?? "")>" + items.map { "<li>\(Self.escape($0))</li>" }.joined()
            + "</ul>\n"
    }
    /// A table; the first row is the header.
    mutating func table(_ rows: [[String]], caption: String? = nil) {
        guard let header = rows.first else { return }
        body += "<table>" + (caption.map { "<caption>\(Self.escape($0))</caption>" } ?? "")
        body += "<thead><tr>" + header.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows.dropFirst() { body += "<tr>" + row.map { "<td>\(Self.escape($0))</td>" }.joined() + "</tr>" }
        body += "</tbody></table>\n"
    }
    /// Markup made by this module (charts), inserted as it is.
    mutating func raw(_ markup: String) { body += markup + "\n" }
    /// A collapsed section holding preformatted text.
    mutating func collapsible(_ summary: String, preformatted text: String) {
        body += "<details><summary>\(Self.escape(summary))</summary><pre>\(Self.escape(text))</pre></details>\n"
    }

    var rendered: String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title>
        <style>
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; max-width: 1200px; margin: 1.5em auto; padding: 0 1em; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; } h3 { margin-bottom: 0.3em; }
        table { border-collapse: collapse; margin: 0.6em 0; font-variant-numeric: tabular-nums; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; } th:first-child, td:first-child { text-align: left; }
        caption { text-align: left; font-weight: 600; padding-bottom: 0.2em; }
        .verdict { background: #f3f7fb; border-left: 4px solid #0072B2; padding: 0.6em 1em; }
        .warning { color: #8a3b00; } .meta { color: #555; }
        figure { margin: 0.8em 0; } figcaption { font-size: 0.9em; color: #444; }
        svg text { font: 12px system-ui, sans-serif; fill: #1a1a1a; }
        pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 12px; }
        @media print { body { max-width: none; } details { display: block; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
        </style></head>
        <body>
        <h1>\(Self.escape(title))</h1>
        \(body)</body></html>

        """
    }
}
