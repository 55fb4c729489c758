import NetLabTrace

/// A starter map for a trace: one container per address, named after the service it offers
/// where the port is a common one (`http-8080`, `redis-6379`), otherwise `host-<n>`.
public enum MapSuggestion {
    static let services: [UInt16: String] = [
        53: "dns", 80: "http", 443: "https", 3306: "mysql", 5201: "iperf", 5432: "postgres", 6379: "redis",
        8000: "http",
        8080: "http", 8443: "https", 9092: "kafka", 9200: "elasticsearch", 11211: "memcached", 11111: "sockperf",
        27017: "mongodb",
        2379: "etcd", 4317: "otlp", 9090: "prometheus", 15001: "envoy", 15006: "envoy",
    ]

    /// The map file's text.
    public static func suggest(for summary: TraceSummary) -> String {
        // The port each address serves most (as endpoint B, the side that did not send first).
        var served: [IPAddress: [UInt16: Int]] = [:]
        var order: [IPAddress] = []
        for conversation in summary.conversations {
            for endpoint in [conversation.a, conversation.b] where served[endpoint.address] == nil {
                served[endpoint.address] = [:]
                order.append(endpoint.address)
            }
            served[conversation.b.address]![conversation.b.port, default: 0] += conversation.packets
        }
        var used: Set<String> = []
        var lines: [String] = []
        for (index, address) in order.enumerated() {
            var name = "host-\(index + 1)"
            if let (port, _) = served[address]!.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
                name = "\(services[port] ?? "svc")-\(port)"
            }
            while used.contains(name) { name += "-\(index + 1)" }
            used.insert(name)
            let match = address.description
            lines.append(#"    { "match": "\#(match)", "container": "\#(name)" }"#)
        }
        return """
            {
              "description": "Starter map for \(summary.file): one container per address; rename them to the containers of your topology.",
              "endpoints": [
            \(lines.joined(separator: ",\n"))
              ]
            }

            """
    }
}
