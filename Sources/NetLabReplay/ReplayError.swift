import NetLabCore

/// A replay that cannot start or finish: where, what, and how to fix it; printed as one line.
public struct ReplayError: LocatedError, Sendable {
    public var location: String
    public var problem: String
    public var fix: String

    public init(location: String, problem: String, fix: String) {
        self.location = location
        self.problem = problem
        self.fix = fix
    }
}
