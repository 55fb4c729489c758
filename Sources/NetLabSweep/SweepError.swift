import NetLabCore

/// A mistake in a sweep's options or files: where (an option or a file, perhaps a place in it),
/// what, and how to fix it.
public struct SweepError: LocatedError, Sendable {
    public var source: String
    public var problem: String
    public var fix: String

    public init(_ source: String, _ problem: String, fix: String) {
        self.source = source
        self.problem = problem
        self.fix = fix
    }

    public var location: String { source }
}
