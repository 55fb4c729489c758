/// Bad input from the user: where it is, what is wrong, and how to fix it. Printed as one line,
/// `netlab: <file>:<where>: <what>; <how to fix>`, with exit status 2.
struct InputError: Error, CustomStringConvertible {
    /// The file or the command-line option the problem is in.
    var source: String
    /// The place inside it (a JSON path, line:column, packet number), if any.
    var location: String?
    var problem: String
    var fix: String

    var description: String {
        let place = location.map { "\(source):\($0)" } ?? source
        return "\(place): \(problem); \(fix)"
    }
}
