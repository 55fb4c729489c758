import NetLabModel
import NetLabSpec
import NetLabTrace

/// Which captured address (optionally with a port, or a whole CIDR block) stands for which
/// container. Read from `{"endpoints": [{"match": "198.18.0.2:8080", "container": "web"}, ...]}`.
public struct ReplayMap: Sendable {
    public struct Rule: Sendable {
        public var network: IPAddress
        public var prefixLength: Int
        public var port: UInt16?
        public var container: String
        /// Where the rule stands in its file, for errors.
        public var line: Int
        public var column: Int

        func matches(_ endpoint: Endpoint) -> Bool {
            guard endpoint.address.isIPv6 == network.isIPv6 else { return false }
            if let port, port != endpoint.port { return false }
            return ReplayMap.masked(endpoint.address, prefixLength) == ReplayMap.masked(network, prefixLength)
        }

        /// Port rules beat address rules; longer prefixes beat shorter ones.
        var specificity: Int { (port == nil ? 0 : 1000) + prefixLength }
    }

    public var rules: [Rule]
    public var file: String

    /// The container `endpoint` stands for, by the most specific matching rule.
    public func container(for endpoint: Endpoint) -> String? {
        var best: Rule?
        for rule in rules where rule.matches(endpoint) {
            if best == nil || rule.specificity > best!.specificity { best = rule }
        }
        return best?.container
    }

    static func masked(_ address: IPAddress, _ prefix: Int) -> IPAddress {
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits)) }
        if address.isIPv6 {
            return IPAddress(high: address.high & mask(prefix), low: address.low & mask(prefix - 64), isIPv6: true)
        }
        return IPAddress(high: 0, low: address.low & (mask(prefix) >> 32), isIPv6: false)
    }

    /// Reads a map file.
    /// - Throws: ``SpecError`` naming the file, the place and the fix.
    public static func read(_ text: String, file: String) throws(SpecError) -> ReplayMap {
        let reader = SpecReader(file: file)
        let root = try reader.parse(text)
        let form = #"write {"endpoints": [{"match": "198.18.0.2", "container": "web"}, ...]}"#
        let top = try reader.object(root, "", what: "a replay map")
        guard let endpoints = top.optional("endpoints") else {
            throw reader.fail(root, "", "no \"endpoints\" list", fix: form)
        }
        try top.rejectUnknownKeys(["endpoints", "description"])
        var rules: [Rule] = []
        for (index, item) in try reader.array(endpoints, "endpoints", what: "the endpoints").enumerated() {
            let fields = try reader.object(item, "endpoints[\(index)]", what: "an endpoint")
            try fields.rejectUnknownKeys(["match", "container"])
            guard let matchNode = fields.optional("match") else {
                throw reader.fail(
                    item, fields.child("match"), "missing \"match\"",
                    fix: "give an address, address:port, [IPv6]:port or CIDR, e.g. \"198.18.0.2:8080\"")
            }
            let match = try reader.string(matchNode, fields.child("match"), what: "an address")
            guard let containerNode = fields.optional("container") else {
                throw reader.fail(
                    item, fields.child("container"), "missing \"container\"",
                    fix: "name the container this address stands for")
            }
            let container = try reader.name(containerNode, fields.child("container"), what: "a container name")
            guard var rule = parseMatch(match) else {
                throw reader.fail(
                    matchNode, fields.child("match"), "\"\(match)\" is not an address, address:port or CIDR",
                    fix:
                        "write e.g. \"198.18.0.2\", \"198.18.0.2:8080\", \"198.18.0.0/24\", \"[2001:2::2]:80\" or \"2001:2::/64\""
                )
            }
            rule.container = container
            rule.line = matchNode.line
            rule.column = matchNode.column
            rules.append(rule)
        }
        return ReplayMap(rules: rules, file: file)
    }

    static func parseMatch(_ text: String) -> Rule? {
        var address = Substring(text)
        var port: UInt16?
        var prefix: Int?
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { return nil }
            let rest = address[address.index(after: close)...]
            address = address[address.index(after: address.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = UInt16(rest.dropFirst()) else { return nil }
                port = value
            }
        } else if let slash = address.firstIndex(of: "/") {
            guard let value = Int(address[address.index(after: slash)...]) else { return nil }
            prefix = value
            address = address[..<slash]
        } else if address.filter({ $0 == ":" }).count == 1, let colon = address.firstIndex(of: ":") {
            guard let value = UInt16(address[address.index(after: colon)...]) else { return nil }
            port = value
            address = address[..<colon]
        }
        guard let ip = IPAddress(address) else { return nil }
        let maximum = ip.isIPv6 ? 128 : 32
        let length = prefix ?? maximum
        guard (0...maximum).contains(length) else { return nil }
        return Rule(network: masked(ip, length), prefixLength: length, port: port, container: "", line: 0, column: 0)
    }
}
