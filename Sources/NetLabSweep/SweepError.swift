import NetLabCore

/// A mistake in a sweep's options or files: where (an option or a file, perhaps a place in it),
/// what, and how to fix it.
public struct SweepError: LocatedError, Sendable {
    public var source: String
    public var problem: String
    public var fix: String
    public var cause: (any LocatedError & Sendable)?

    public init(_ source: String, _ problem: String, fix: String, cause: (any LocatedError & Sendable)? = nil) {
        self.cause = cause
        self.source = source
        self.problem = problem
        self.fix = fix
    }

    /// A sweep that cannot start because of `cause` (its topology cannot be read): says what it
    /// says, and keeps it.
    public init(_ cause: some LocatedError & Sendable) {
        self.init(cause.location, cause.problem, fix: cause.fix)
        self.cause = cause
    }

    public var location: String { source }
}
