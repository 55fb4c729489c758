import NetLabCore

/// A replay that cannot start or finish: where, what, and how to fix it; printed as one line.
public struct ReplayError: LocatedError, Sendable {
    public var location: String
    public var problem: String
    public var fix: String
    public var cause: (any LocatedError & Sendable)?

    public init(location: String, problem: String, fix: String) {
        self.location = location
        self.problem = problem
        self.fix = fix
    }

    /// A replay that failed because of `cause` (a capture that cannot be read or written): says
    /// what it says, and keeps it.
    public init(_ cause: some LocatedError & Sendable) {
        self.init(location: cause.location, problem: cause.problem, fix: cause.fix)
        self.cause = cause
    }
}
