/// A mistake in what a person gave netlab (a file, an option, a value): where it is, what is
/// wrong, and how to fix it. Every error about bad input adopts it, so the command line prints
/// them all one way, as one line: `<where>: <what>; <how to fix>`.
public protocol LocatedError: Error, CustomStringConvertible {
    /// The file and the place in it (line:column, a JSON or YAML path, a packet number), or the
    /// option; empty where the error is about a bare value and its caller says where it came from.
    var location: String { get }
    var problem: String { get }
    var fix: String { get }
    /// The error this one reports on another layer's behalf (a capture's damage behind a
    /// replay's failure), kept so that a caller can still tell its kind and place; its text is
    /// already in this error's, which is printed once.
    var cause: (any LocatedError & Sendable)? { get }
}

extension LocatedError {
    public var cause: (any LocatedError & Sendable)? { nil }

    /// The innermost error behind this one (itself when it has no cause).
    public var rootCause: any LocatedError {
        var error: any LocatedError = self
        while let inner = error.cause { error = inner }
        return error
    }

    public var description: String { location.isEmpty ? "\(problem); \(fix)" : "\(location): \(problem); \(fix)" }
}
