import NetLabCore
import Yams

/// netlab's one YAML writer (Kubernetes manifests, the Jobs of a sweep): trees built in code as
/// ``JSONNode``s, the same trees the readers make, written through Yams.
package enum SpecTree {
    package static func object(_ members: [(String, JSONNode)]) -> JSONNode {
        node(.object(members.map { (key: $0.0, value: $0.1) }))
    }
    package static func array(_ items: [JSONNode]) -> JSONNode { node(.array(items)) }
    package static func string(_ text: String) -> JSONNode { node(.string(text)) }
    package static func number(_ value: Double) -> JSONNode {
        node(.number(value == value.rounded() && abs(value) < 1e15 ? "\(Int64(saturating: value))" : "\(value)"))
    }
    package static func integer(_ value: Int) -> JSONNode { node(.number("\(value)")) }
    package static func node(_ value: JSONNode.Value) -> JSONNode { JSONNode(value: value, line: 0, column: 0) }

    /// `root` as a YAML document: strings that YAML would read as something else are quoted, and
    /// text of several lines is written as a literal block. An emitter failure is an error, never
    /// an empty document passed off as the result.
    package static func yaml(_ root: JSONNode) throws(YAMLWriteError) -> String {
        do { return try Yams.serialize(node: yamsNode(root), sortKeys: false) } catch {
            throw YAMLWriteError(reason: "\(error)")
        }
    }

    static func yamsNode(_ node: JSONNode) -> Yams.Node {
        switch node.value {
        case .null: return Yams.Node("null", Tag(.null))
        case .bool(let value): return Yams.Node(value ? "true" : "false", Tag(.bool))
        case .number(let text): return Yams.Node(text, Tag(.float))
        case .string(let text):
            // The emitter falls back to double quotes where a literal block cannot hold the text.
            let style: Yams.Node.Scalar.Style =
                text.contains("\n") ? .literal : isPlainSafe(text) ? .plain : .doubleQuoted
            return Yams.Node(text, Tag(.str), style)
        case .array(let items): return Yams.Node(items.map(yamsNode))
        case .object(let members): return Yams.Node(members.map { (Yams.Node($0.key), yamsNode($0.value)) })
        }
    }

    /// Whether `text` can be written unquoted and still be read back as this string by every
    /// YAML reader, YAML 1.1 ones included (which read `yes`, `off`, `0b101`, `1_000`, `.inf`,
    /// `1:20` and `0x1F` as booleans and numbers): an ASCII letter first, then only letters,
    /// digits and `-_./@+`, and not one of YAML 1.1's words for booleans and null.
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        let words: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf"]
        guard !words.contains(text.lowercased()) else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "-_./@+".unicodeScalars.contains(scalar))
        }
    }
}

/// The YAML emitter refused a tree (a netlab bug: every tree netlab builds can be written).
package struct YAMLWriteError: Error {
    package var reason: String
}
