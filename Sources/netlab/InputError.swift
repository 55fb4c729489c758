import NetLabCore

/// Bad input from the user: where it is, what is wrong, and how to fix it. Printed as one line,
/// `netlab: <file>:<where>: <what>; <how to fix>`, with exit status 2.
struct InputError: LocatedError {
    /// The file or the command-line option the problem is in.
    var source: String
    /// The place inside it (a JSON path, line:column, packet number), if any.
    var place: String?
    var problem: String
    var fix: String
    var cause: (any LocatedError & Sendable)?

    init(
        source: String, location place: String?, problem: String, fix: String,
        cause: (any LocatedError & Sendable)? = nil
    ) {
        self.cause = cause
        self.source = source
        self.place = place
        self.problem = problem
        self.fix = fix
    }

    /// Reports `cause` (an error of a library module) as it is, and keeps it.
    init(_ cause: some LocatedError & Sendable) {
        self.init(source: cause.location, location: nil, problem: cause.problem, fix: cause.fix)
        self.cause = cause
    }

    var location: String { place.map { "\(source):\($0)" } ?? source }
}
