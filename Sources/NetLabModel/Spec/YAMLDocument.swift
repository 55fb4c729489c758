import Yams

/// Reads YAML into the same located ``JSONNode`` tree the JSON parser builds, so that topology and
/// profile files may be written in either, with the same checks and the same error places.
public enum YAMLDocument {
    /// Every document of a multi-document YAML text (empty documents left out), each as a
    /// located tree.
    public static func parseAll(_ text: String, file: String) throws(SpecError) -> [(index: Int, root: JSONNode)] {
        var roots: [(index: Int, root: JSONNode)] = []
        do {
            // The sequence stops at a malformed document and keeps its error: throw it, or the
            // documents after it would be lost without a word.
            var documents = try Yams.compose_all(yaml: text)
            var index = 0
            while let node = documents.next() {
                roots.append((index, try convert(node, file: file)))
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
        return try convert(root, file: file)
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

    static func convert(_ node: Yams.Node, file: String) throws(SpecError) -> JSONNode {
        let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
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
                members.append((name, try convert(value, file: file)))
            }
            return wrap(.object(members))
        case .sequence(let sequence):
            var items: [JSONNode] = []
            for item in sequence { items.append(try convert(item, file: file)) }
            return wrap(.array(items))
        case .alias:
            throw SpecError(
                file: file, line: line, column: column, path: "", problem: "YAML aliases are not supported",
                fix: "write the value out")
        }
    }
}
