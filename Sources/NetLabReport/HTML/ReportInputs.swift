/// What a report was made from, shown in a collapsed section so that it can be reproduced.
public struct ReportInputs: Sendable {
    /// The command line as typed.
    public var command: String
    /// The version of netlab that made the report.
    public var netlabVersion: String
    /// Input files and their text (topology, map), in the order given.
    public var files: [(name: String, text: String)]

    /// The inputs of one run; `files` may be empty where the report should not embed them.
    public init(command: String, netlabVersion: String, files: [(name: String, text: String)] = []) {
        self.command = command
        self.netlabVersion = netlabVersion
        self.files = files
    }
}

extension HTMLPage {
    mutating func inputs(_ inputs: ReportInputs, extra: [String] = []) {
        heading("Inputs")
        list(["command: \(inputs.command)", "netlab \(inputs.netlabVersion)"] + extra, className: "meta")
        for file in inputs.files {
            let (text, whole) = ReportInputs.embeddable(file.text)
            collapsible(
                whole ? file.name : "\(file.name) (its first \(text.utf8.count) of \(file.text.utf8.count) bytes)",
                preformatted: text)
        }
    }
}

extension ReportInputs {
    /// The most of one input file a page embeds: a cluster's topology runs to megabytes, which
    /// would make the page too large to open, and the file itself is the input to keep.
    static let embeddedBytes = 256 * 1024

    /// `text`, or its lines up to ``embeddedBytes`` when it is longer; and whether it is whole.
    static func embeddable(_ text: String) -> (text: String, whole: Bool) {
        let utf8 = text.utf8
        guard utf8.count > embeddedBytes else { return (text, true) }
        var end = utf8.index(utf8.startIndex, offsetBy: embeddedBytes)
        // Back to the last line break, or (one long line, as a generated file may be) to the
        // start of a character.
        if let lineEnd = utf8[..<end].lastIndex(of: UInt8(ascii: "\n")) {
            end = utf8.index(after: lineEnd)
        } else {
            while end > utf8.startIndex, UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        }
        return (String(text[..<end]), false)
    }
}
