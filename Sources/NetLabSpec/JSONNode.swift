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
    /// For a plain YAML scalar read as a boolean, null or number: the text as written, so that an
    /// error can say that `no` or `on` was taken for a boolean and needs quotes to be a name.
    public var plainYAMLText: String? = nil

    public init(value: Value, line: Int, column: Int, plainYAMLText: String? = nil) {
        self.value = value
        self.line = line
        self.column = column
        self.plainYAMLText = plainYAMLText
    }

    /// What was found, for error messages: the kind of value, and for a plain YAML scalar that
    /// was not read as a string, how YAML read it.
    public var foundDescription: String {
        guard let text = plainYAMLText else { return kindDescription }
        return "\(kindDescription) (YAML reads the plain \(text) as \(kindDescription))"
    }

    /// The fix for a value of the wrong kind: quoting, where YAML turned a word into something else.
    public func fix(otherwise: String) -> String {
        guard let text = plainYAMLText else { return otherwise }
        return otherwise == "quote it"
            ? "quote it: \"\(text)\"" : "quote it (\"\(text)\") if it is a name, or \(otherwise)"
    }

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
