import NetLabCore

/// A mistake in a sweep's options or files: where (an option or a file, perhaps a place in it),
/// what, and how to fix it.
public struct SweepError: LocatedError, Sendable {
    /// The option (`--set`, `--shard`) or the file the problem is in.
    public var source: String
    public var problem: String
    public var fix: String
    /// The error of another layer this one reports (a topology that a swept value breaks), kept.
    public var cause: (any LocatedError & Sendable)?

    /// A problem in `source`: what is wrong and how to fix it, keeping `cause` where it reports one.
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

    /// Where: the option or file.
    public var location: String { source }
}
