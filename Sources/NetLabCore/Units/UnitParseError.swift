/// A quantity written by a person could not be read: what the input was, what was expected, and
/// the forms that would have been accepted.
public struct UnitParseError: LocatedError, Equatable, Sendable {
    /// The text as given.
    public var input: String
    /// What is wrong with it, e.g. "has no unit".
    public var problem: String
    /// The accepted forms, with examples, e.g. "use a number and a unit: 250ns, 10us, 1.5ms, 2s".
    public var fix: String

    public init(input: String, problem: String, fix: String) {
        self.input = input
        self.problem = problem
        self.fix = fix
    }

    /// No place of its own: the caller knows which option or field the text came from.
    public var location: String { "" }

    /// One line: `"1.5 parsecs" is not a duration; use a number and a unit: 250ns, 10us, 1.5ms, 2s`.
    public var description: String { "\"\(input)\" \(problem); \(fix)" }
}
