import Foundation
import Testing

/// Every line a command prints for people fits a 100-column terminal: every bundled example (one
/// run and replicated), the imported 13-container shop with its long grouping names, advise,
/// sweep, compare, inspect (IPv6 endpoints) and replay. Characters are counted, not bytes. The
/// release build runs them where it is current (its output is the debug build's, byte for byte,
/// and its simulations take seconds instead of a minute).
@Suite(.serialized) struct TableWidthTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static let examples = [
        "bulk-stream.json", "frontend-backend-cache.json", "online-shop.json", "service-mesh.json",
        "web-log-sidecar.json",
    ]

    /// The lines of `arguments`' standard output wider than 100 characters.
    func wideLines(_ arguments: [String]) throws -> [String] {
        let result = try NetlabBinary.runFastest(arguments)
        #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.standardError)")
        return result.standardOutput.split(separator: "\n").filter { $0.count > 100 }.map {
            "\(arguments.prefix(2).joined(separator: " ")) (\($0.count)): " + String($0)
        }
    }

    @Test func simulateAndAdviseFitOnEveryExampleAndTheImportedShop() throws {
        let folder = try SweepCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shop = folder.appendingPathComponent("shop.yaml").path
        let imported = try NetlabBinary.runFastest([
            "import", "k8s", Self.path("Examples/k8s/online-boutique.yaml"), "--traffic",
            Self.path("Examples/k8s/traffic.yaml"), "--output", shop,
        ])
        try #require(imported.status == 0, "\(imported.standardError)")
        var wide: [String] = []
        for topology in Self.examples.map({ Self.path("Examples/\($0)") }) + [shop] {
            for replications in ["1", "3"] {
                wide += try wideLines([
                    "simulate", topology, "--duration", "120ms", "--replications", replications, "--format", "table",
                ])
            }
        }
        for topology in ["web-log-sidecar.json", "online-shop.json"].map({ Self.path("Examples/\($0)") }) + [shop] {
            wide += try wideLines([
                "advise", topology, "--duration", "110ms", "--replications", "3", "--max-candidates", "60",
                "--format", "table",
            ])
        }
        wide += try wideLines([
            "sweep", shop, "--duration", "110ms", "--set", "flows[browse].rate=100/s,200/s", "--format", "table",
        ])
        let baseline = folder.appendingPathComponent("a.json").path
        let current = folder.appendingPathComponent("b.json").path
        for (file, seed) in [(baseline, "1"), (current, "2")] {
            _ = try NetlabBinary.runFastest([
                "simulate", shop, "--duration", "120ms", "--seed", seed, "--format", "json", "--output", file,
            ])
        }
        let compared = try NetlabBinary.runFastest(["compare", baseline, current])
        wide += compared.standardOutput.split(separator: "\n").filter { $0.count > 100 }.map {
            "compare: " + String($0)
        }
        #expect(wide.isEmpty, "\(wide.joined(separator: "\n"))")
    }

    @Test func inspectAndReplayFit() throws {
        var wide: [String] = []
        for trace in ["intra-pod-loopback", "pod-to-pod-http", "pod-to-pod-ipv6", "pod-to-pod-sockperf"] {
            wide += try wideLines(["inspect", Self.path("Traces/\(trace).pcap"), "--format", "table"])
            wide += try wideLines([
                "replay", Self.path("Traces/\(trace).pcap"), "--map", Self.path("Traces/\(trace).map.json"),
                "--topology", Self.path("Examples/replay-pairs.json"), "--format", "table",
            ])
        }
        // Long IPv6 endpoints: the conversation table stacks them.
        let corpus = ProcessInfo.processInfo.environment["NETLAB_PCAP_CORPUS"] ?? Self.path("../shared/pcap-corpus")
        let ipv6 = corpus + "/zeek/testing/btest/Traces/ftp/ipv6.pcap"
        if FileManager.default.fileExists(atPath: ipv6) {
            wide += try wideLines(["inspect", ipv6, "--format", "table"])
        } else {
            print("TableWidthTests: skipped the IPv6 corpus capture: \(ipv6) is not there")
        }
        #expect(wide.isEmpty, "\(wide.joined(separator: "\n"))")
    }
}
