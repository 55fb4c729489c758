import Yams

/// Reads YAML into the same located ``JSONNode`` tree the JSON parser builds, so that topology and
/// profile files may be written in either, with the same checks and the same error places.
public enum YAMLDocument {
    /// Every document of a multi-document YAML text (empty documents left out), each as a
    /// located tree.
    public static func parseAll(_ text: String, file: String) throws(SpecError) -> [(index: Int, root: JSONNode)] {
        var roots: [(index: Int, root: JSONNode)] = []
        try refuseAliasKeys(text, file: file)
        var budget = expansionBudget(text)
        do {
            // The sequence stops at a malformed document and keeps its error: throw it, or the
            // documents after it would be lost without a word.
            var documents = try Yams.compose_all(yaml: text)
            var index = 0
            while let node = documents.next() {
                roots.append((index, try convert(node, file: file, budget: &budget)))
                index += 1
            }
            if let error = documents.error { throw error }
        } catch let error as SpecError {
            throw error
        } catch let error as YamlError {
            throw located(error, file: file)
        } catch {
            throw SpecError(file: file, path: "", problem: "malformed YAML: \(error)", fix: "fix the YAML syntax")
        }
        return roots
    }

    static func parse(_ text: String, file: String) throws(SpecError) -> JSONNode {
        let root: Yams.Node?
        try refuseAliasKeys(text, file: file)
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw located(error, file: file)
        } catch {
            throw SpecError(file: file, path: "", problem: "malformed YAML: \(error)", fix: "fix the YAML syntax")
        }
        guard let root else {
            throw SpecError(
                file: file, line: 1, column: 1, path: "", problem: "the document is empty",
                fix: "write the topology as a YAML mapping")
        }
        var budget = expansionBudget(text)
        return try convert(root, file: file, budget: &budget)
    }

    /// How many values a text may expand to: each value of a file without aliases takes at least
    /// one character, so only alias expansion (a "billion laughs") can exceed this.
    static func expansionBudget(_ text: String) -> Int { text.utf8.count + 1_000_000 }

    /// Refuses an alias used as a mapping key (`*name: value`) before Yams reads the text: such a
    /// key would have to be compared whole with every other key, which an expanding alias makes
    /// endless. Quoted strings and comments are skipped.
    static func refuseAliasKeys(_ text: String, file: String) throws(SpecError) {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return }
        var line = 1
        for content in text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { line += 1 }
            var quote: Character?
            var previous: Character = " "
            var index = content.startIndex
            while index < content.endIndex {
                let character = content[index]
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == "\"" || character == "'" {
                    quote = character
                } else if character == "#", previous == " " || previous == "\t" {
                    break
                } else if character == "*", " \t[{,?-".contains(previous) {
                    var end = content.index(after: index)
                    while end < content.endIndex, !" \t,[]{}:".contains(content[end]) {
                        end = content.index(after: end)
                    }
                    var after = end
                    while after < content.endIndex, content[after] == " " { after = content.index(after: after) }
                    if end > content.index(after: index), after < content.endIndex, content[after] == ":" {
                        throw SpecError(
                            file: file, line: line, column: content.distance(from: content.startIndex, to: index) + 1,
                            path: "", problem: "a YAML alias (\(content[index..<end])) used as a mapping key",
                            fix: "write the key out")
                    }
                }
                previous = character
                index = content.index(after: index)
            }
        }
    }

    static func located(_ error: YamlError, file: String) -> SpecError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return SpecError(
                file: file, line: mark.line, column: mark.column, path: "", problem: "malformed YAML: \(problem)",
                fix: "fix the YAML syntax at that place")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return SpecError(
                file: file, line: context.mark.line, column: context.mark.column, path: "",
                problem: "duplicate key \(keys) in one mapping", fix: "give each key once")
        default:
            // Other errors print the whole document after their message; keep the message.
            let message = "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"
            return SpecError(file: file, path: "", problem: "malformed YAML: \(message)", fix: "fix the YAML syntax")
        }
    }

    static func convert(_ node: Yams.Node, file: String, budget: inout Int) throws(SpecError) -> JSONNode {
        let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
        budget -= 1
        guard budget >= 0 else {
            throw SpecError(
                file: file, line: line, column: column, path: "",
                problem:
                    "the YAML expands to more values than its text holds by a million (anchors and aliases repeated within each other)",
                fix: "write the document without nested aliases")
        }
        func wrap(_ value: JSONNode.Value, plain: String? = nil) -> JSONNode {
            JSONNode(value: value, line: line, column: column, plainYAMLText: plain)
        }
        switch node {
        case .scalar(let scalar):
            // Plain scalars take YAML's core-schema types; quoted ones stay strings.
            guard scalar.style == .plain || scalar.style == .any else { return wrap(.string(scalar.string)) }
            if node.null != nil { return wrap(.null, plain: scalar.string) }
            if let bool = node.bool { return wrap(.bool(bool), plain: scalar.string) }
            // Numbers as JSON writes them. Not Yams' own int/float: it reads YAML 1.1 forms such as
            // sexagesimal 1:30:00, and traps on one too large for Int.
            if scalar.string.allSatisfy({ "0123456789+-.eE".contains($0) }), Double(scalar.string) != nil {
                return wrap(.number(scalar.string), plain: scalar.string)
            }
            return wrap(.string(scalar.string))
        case .mapping(let mapping):
            var members: [(key: String, value: JSONNode)] = []
            for (key, value) in mapping {
                guard let name = key.string else {
                    throw SpecError(
                        file: file, line: key.mark?.line, column: key.mark?.column, path: "",
                        problem: "a mapping key that is not a string",
                        fix: "use plain names as keys")
                }
                if members.contains(where: { $0.key == name }) {
                    throw SpecError(
                        file: file, line: key.mark?.line, column: key.mark?.column, path: "",
                        problem: "duplicate key \"\(name)\"",
                        fix: "give each key once")
                }
                members.append((name, try convert(value, file: file, budget: &budget)))
            }
            return wrap(.object(members))
        case .sequence(let sequence):
            var items: [JSONNode] = []
            for item in sequence { items.append(try convert(item, file: file, budget: &budget)) }
            return wrap(.array(items))
        case .alias:
            throw SpecError(
                file: file, line: line, column: column, path: "", problem: "YAML aliases are not supported",
                fix: "write the value out")
        }
    }
}
