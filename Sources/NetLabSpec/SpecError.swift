import NetLabCore

/// A problem in a topology file: the file, the place (line:column and JSON path), what is wrong and
/// how to fix it. Printed as one line: `topology.json:12:7: groupings[0].pods[1]: <what>; <fix>`.
public struct SpecError: LocatedError, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// JSON path such as `groupings[0].pods[1].containers[2]`; empty for the whole document.
    public var path: String
    public var problem: String
    public var fix: String
    /// The error this one places in the file (a value's unit that does not parse), kept.
    public var cause: (any LocatedError & Sendable)?

    public init(
        file: String, line: Int? = nil, column: Int? = nil, path: String, problem: String, fix: String,
        cause: (any LocatedError & Sendable)? = nil
    ) {
        self.cause = cause
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.problem = problem
        self.fix = fix
    }

    /// Where the problem is: `file:line:column: path`.
    public var location: String {
        var text = file
        if let line, let column { text += ":\(line):\(column)" }
        if !path.isEmpty { text += ": \(path)" }
        return text
    }

    /// Malformed JSON in `file`, at the place the parser stopped.
    public static func malformed(_ error: JSONSyntaxError, file: String) -> SpecError {
        SpecError(
            file: file, line: error.line, column: error.column, path: "", problem: "malformed JSON: \(error.message)",
            fix: "fix the JSON syntax at that place")
    }
}
