import NetLabCore

/// Walks a parsed JSON document and turns its values into typed ones, naming the file, the
/// line:column and the JSON path of anything wrong.
package struct SpecReader {
    package let file: String

    package init(file: String) { self.file = file }

    /// Parses `text` as JSON, or as YAML when the file is named `.yaml` or `.yml`, turning a
    /// syntax error into a located ``SpecError``.
    package func parse(_ text: String) throws(SpecError) -> JSONNode {
        if file.hasSuffix(".yaml") || file.hasSuffix(".yml") { return try YAMLDocument.parse(text, file: file) }
        do { return try JSONParser.parse(text) } catch { throw SpecError.malformed(error, file: file) }
    }

    package func fail(
        _ node: JSONNode?, _ path: String, _ problem: String, fix: String,
        cause: (any LocatedError & Sendable)? = nil
    ) -> SpecError {
        SpecError(
            file: file, line: node?.line, column: node?.column, path: path, problem: problem, fix: fix, cause: cause)
    }

    /// The members of an object node, with unknown-key checking once reading is done.
    package struct Object {
        package let node: JSONNode
        package let path: String
        package let members: [(key: String, value: JSONNode)]
        package let reader: SpecReader

        package func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        package func optional(_ key: String) -> JSONNode? {
            members.first { $0.key == key }?.value
        }

        package func required(_ key: String, fix: String) throws(SpecError) -> JSONNode {
            guard let value = optional(key) else {
                throw reader.fail(node, path, "missing \"\(key)\"", fix: fix)
            }
            return value
        }

        /// Rejects keys other than `known`, suggesting the nearest known key.
        package func rejectUnknownKeys(_ known: [String]) throws(SpecError) {
            for (key, value) in members where !known.contains(key) {
                let hint = didYouMean(key, among: known)
                throw reader.fail(
                    value, child(key), "unknown key \"\(key)\"",
                    fix: "\(hint)allowed here: \(known.joined(separator: ", "))")
            }
        }
    }

    package func object(_ node: JSONNode, _ path: String, what: String) throws(SpecError) -> Object {
        guard case .object(let members) = node.value else {
            throw fail(
                node, path, "expected \(what) (a JSON object), found \(node.foundDescription)",
                fix: node.fix(otherwise: "write it as { ... }"))
        }
        return Object(node: node, path: path, members: members, reader: self)
    }

    package func array(_ node: JSONNode, _ path: String, what: String) throws(SpecError) -> [JSONNode] {
        guard case .array(let items) = node.value else {
            throw fail(
                node, path, "expected \(what) (a JSON array), found \(node.foundDescription)",
                fix: node.fix(otherwise: "write it as [ ... ]"))
        }
        return items
    }

    package func string(_ node: JSONNode, _ path: String, what: String) throws(SpecError) -> String {
        guard case .string(let text) = node.value else {
            throw fail(
                node, path, "expected \(what) as a string, found \(node.foundDescription)",
                fix: node.fix(otherwise: "quote it"))
        }
        return text
    }

    package func name(_ node: JSONNode, _ path: String, what: String) throws(SpecError) -> String {
        let text = try string(node, path, what: what)
        guard NameRule.accepts(text) else {
            throw fail(node, path, "\"\(text)\" is not a valid name", fix: "use letters, digits, '-', '_' or '.'")
        }
        return text
    }

    package func integer(_ node: JSONNode, _ path: String, what: String, range: ClosedRange<Int>) throws(SpecError)
        -> Int
    {
        guard case .number(let text) = node.value, let value = Int(text) else {
            throw fail(
                node, path, "expected \(what) as a whole number, found \(node.foundDescription)",
                fix: node.fix(otherwise: "write e.g. 4"))
        }
        guard range.contains(value) else {
            throw fail(
                node, path, "\(what) \(value) is out of range", fix: "use \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    package func real(_ node: JSONNode, _ path: String, what: String, minimum: Double, maximum: Double = .infinity)
        throws(SpecError) -> Double
    {
        guard case .number(let text) = node.value, let value = Double(text) else {
            throw fail(
                node, path, "expected \(what) as a number, found \(node.foundDescription)",
                fix: node.fix(otherwise: "write e.g. 1.5"))
        }
        guard value.isFinite, value >= minimum, value <= maximum else {
            func plain(_ bound: Double) -> String {
                bound == bound.rounded() && abs(bound) < 1e15 ? String(Int64(saturating: bound)) : "\(bound)"
            }
            throw fail(
                node, path, "\(what) \(text) is out of range",
                fix: "use a value from \(plain(minimum)) to \(plain(maximum))")
        }
        return value
    }

    /// A quantity with a unit, given as a string; a bare number is refused (units are not guessed).
    package func quantity<T>(
        _ node: JSONNode, _ path: String, what: String, example: String, parse: (String) throws(UnitParseError) -> T
    ) throws(SpecError) -> T {
        switch node.value {
        case .string(let text):
            do { return try parse(text) } catch {
                throw fail(
                    node, path, error.input.isEmpty ? "empty \(what)" : "\"\(error.input)\" \(error.problem)",
                    fix: error.fix, cause: error)
            }
        case .number(let text):
            throw fail(
                node, path, "\(what) \(text) has no unit", fix: "write it as a string with a unit, e.g. \"\(example)\"")
        default:
            throw fail(
                node, path, "expected \(what) such as \"\(example)\", found \(node.foundDescription)",
                fix: node.fix(otherwise: "write e.g. \"\(example)\""))
        }
    }

    package func duration(_ node: JSONNode, _ path: String, what: String = "a duration") throws(SpecError)
        -> SimDuration
    {
        try quantity(node, path, what: what, example: "10us") { text throws(UnitParseError) in
            try SimDuration(parsing: text)
        }
    }

    package func bytes(_ node: JSONNode, _ path: String, what: String = "a size") throws(SpecError) -> ByteCount {
        try quantity(node, path, what: what, example: "1500B") { text throws(UnitParseError) in
            try ByteCount(parsing: text)
        }
    }

    package func bitRate(_ node: JSONNode, _ path: String, what: String = "a rate") throws(SpecError) -> BitRate {
        try quantity(node, path, what: what, example: "10Gbps") { text throws(UnitParseError) in
            try BitRate(parsing: text)
        }
    }

    package func eventRate(_ node: JSONNode, _ path: String, what: String = "a rate") throws(SpecError) -> EventRate {
        try quantity(node, path, what: what, example: "2000/s") { text throws(UnitParseError) in
            try EventRate(parsing: text)
        }
    }
}
