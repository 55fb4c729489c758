import NetLabCore
import NetLabModel
import NetLabSpec

/// A problem in a manifest or traffic file: the file, the line:column, the YAML document's index
/// (manifests hold several), the path inside it, what is wrong and how to fix it.
public struct KubernetesError: LocatedError, Sendable {
    /// The manifest or traffic file.
    public var file: String
    public var line: Int?
    public var column: Int?
    /// The YAML document in the file (0-based), where a file holds several.
    public var document: Int?
    /// The path inside the document, such as `spec.template.spec.containers[1].ports[0]`.
    public var path: String
    public var problem: String
    public var fix: String
    /// The reading error this one reports (a manifest that is not YAML), kept.
    public var cause: (any LocatedError & Sendable)?

    /// An error at `node` (its line and column) of `document` in `file`; `cause` is the error of
    /// another layer it reports, kept.
    public init(
        file: String, node: JSONNode? = nil, document: Int? = nil, path: String, problem: String, fix: String,
        cause: (any LocatedError & Sendable)? = nil
    ) {
        self.cause = cause
        self.file = file
        line = node?.line
        column = node?.column
        self.document = document
        self.path = path
        self.problem = problem
        self.fix = fix
    }

    init(_ error: SpecError) {
        file = error.file
        line = error.line
        column = error.column
        path = error.path
        problem = error.problem
        fix = error.fix
        cause = error
    }

    /// `file:line:column: document N: path`.
    public var location: String {
        var text = file
        if let line, let column { text += ":\(line):\(column)" }
        if let document { text += ": document \(document + 1)" }
        if !path.isEmpty { text += ": \(path)" }
        return text
    }
}

extension KubernetesError {
    /// The YAML writer refused what netlab built: a bug, reported as one.
    init(writing error: YAMLWriteError) {
        self.init(
            file: "(output)", path: "", problem: "the YAML writer failed: \(error.reason)",
            fix: "report this as a netlab bug, with the input files")
    }
}
