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
        for file in inputs.files { collapsible(file.name, preformatted: file.text) }
    }
}
