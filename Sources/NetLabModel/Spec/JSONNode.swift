/// A parsed JSON value that remembers where it stood in the file, so that every later complaint
/// about it (an unknown key, a dangling name, a bad unit) can name the line and column.
public struct JSONNode: Sendable {
    public enum Value: Sendable {
        case null
        case bool(Bool)
        /// The number exactly as written, so integers stay exact and units can be checked.
        case number(String)
        case string(String)
        case array([JSONNode])
        /// Members in file order; duplicate keys are rejected by the parser.
        case object([(key: String, value: JSONNode)])
    }

    public var value: Value
    /// 1-based line and column of the value's first character.
    public var line: Int
    public var column: Int

    /// A word for the kind of value, for error messages ("a string", "an object").
    public var kindDescription: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Malformed JSON: where, and what was found.
public struct JSONSyntaxError: Error, Sendable {
    public var line: Int
    public var column: Int
    public var message: String
}
