import NetLabCore
import NetLabModel
import NetLabSpec

/// Where in a topology a sweep changes a value: `flows[http].rate`, `cluster.fabric.rate`,
/// `containers[web].cpu`, `cluster.nodes[0].cores`. Keys name object members; a bracket picks
/// an array element by its `name` (a flow without one by `from->to`; a container written as a
/// bare name by that name) or by its index.
public struct ParameterPath: Sendable, Equatable, CustomStringConvertible {
    /// One step of a path: an object member by key, or an array element by name or index.
    public enum Component: Sendable, Equatable {
        case key(String)
        case element(String)
    }

    /// The steps, from the document's root.
    public let components: [Component]
    /// The path as typed.
    public let description: String

    /// Parses `text`, or says what is wrong with it.
    public init(parsing text: String) throws(SweepError) {
        var components: [Component] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else {
                    throw SweepError("--set", "\"\(text)\" has an unclosed '['", fix: "close it: flows[http].rate")
                }
                let selector = rest[rest.index(after: rest.startIndex)..<close]
                guard !selector.isEmpty else {
                    throw SweepError("--set", "\"\(text)\" has an empty []", fix: "name the element: flows[http]")
                }
                components.append(.element(String(selector)))
                rest = rest[rest.index(after: close)...]
                if rest.hasPrefix(".") { rest = rest.dropFirst() }
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let key = rest[..<end]
                guard !key.isEmpty else {
                    throw SweepError("--set", "\"\(text)\" has an empty key", fix: "write keys as a.b[name].c")
                }
                components.append(.key(String(key)))
                rest = rest[end...]
                if rest.hasPrefix(".") { rest = rest.dropFirst() }
            }
        }
        guard case .key = components.last else {
            throw SweepError(
                "--set", "\"\(text)\" does not end in a key", fix: "end it with the value's key: flows[http].rate")
        }
        self.components = components
        description = text
    }

    /// `root` with the value at this path replaced by `value` (the last key is added if the
    /// object lacks it; the topology reader then checks it as any key).
    public func applying(_ value: JSONNode.Value, to root: JSONNode) throws(SweepError) -> JSONNode {
        try set(value, in: root, at: 0, walked: "")
    }

    private func set(_ value: JSONNode.Value, in node: JSONNode, at depth: Int, walked: String) throws(SweepError)
        -> JSONNode
    {
        guard depth < components.count else { return JSONNode(value: value, line: node.line, column: node.column) }
        var copy = node
        switch (components[depth], node.value) {
        case (.key(let key), .object(var members)):
            let here = walked.isEmpty ? key : "\(walked).\(key)"
            if let slot = members.firstIndex(where: { $0.key == key }) {
                members[slot].value = try set(value, in: members[slot].value, at: depth + 1, walked: here)
            } else if depth == components.count - 1 {
                members.append((key, JSONNode(value: value, line: node.line, column: node.column)))
            } else {
                let keys = members.map(\.key)
                throw SweepError(
                    "--set", "\(description): \(walked.isEmpty ? "the topology" : walked) has no \"\(key)\"",
                    fix: suggestion(key, among: keys))
            }
            copy.value = .object(members)
        case (.element(let selector), .array(var items)):
            let here = "\(walked)[\(selector)]"
            let names = items.enumerated().map { Self.name(of: $0.element, at: $0.offset) }
            let slot = names.firstIndex(of: selector) ?? Int(selector).flatMap { items.indices.contains($0) ? $0 : nil }
            guard let slot else {
                throw SweepError(
                    "--set", "\(description): \(walked) has no element \"\(selector)\"",
                    fix: suggestion(selector, among: names.compactMap { $0 }))
            }
            var item = items[slot]
            if case .string(let bare) = item.value, depth + 1 < components.count {
                // A container written as a bare name becomes {"name": ...} to take a key.
                item.value = .object([("name", JSONNode(value: .string(bare), line: item.line, column: item.column))])
            }
            items[slot] = try set(value, in: item, at: depth + 1, walked: here)
            copy.value = .array(items)
        case (.key(let key), _):
            throw SweepError(
                "--set", "\(description): \(walked) is not an object, so it has no \"\(key)\"",
                fix: "check the path against docs/topology.md")
        case (.element(let selector), _):
            throw SweepError(
                "--set", "\(description): \(walked) is not a list, so it has no element \"\(selector)\"",
                fix: "check the path against docs/topology.md")
        }
        return copy
    }

    /// An element's name: its `name`, a flow's `from->to`, or a bare string.
    static func name(of node: JSONNode, at index: Int) -> String? {
        switch node.value {
        case .string(let text): return text
        case .object(let members):
            if case .string(let name)? = members.first(where: { $0.key == "name" })?.value.value { return name }
            if case .string(let from)? = members.first(where: { $0.key == "from" })?.value.value,
                case .string(let to)? = members.first(where: { $0.key == "to" })?.value.value
            {
                return "\(from)->\(to)"
            }
            return nil
        default: return nil
        }
    }

    private func suggestion(_ word: String, among options: [String]) -> String {
        options.isEmpty
            ? "check the path" : "\(didYouMean(word, among: options))there are: \(options.joined(separator: ", "))"
    }
}
