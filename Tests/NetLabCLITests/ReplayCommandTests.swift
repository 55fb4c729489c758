import Foundation
import Testing

@Suite struct ReplayCommandTests {
    static let trace = repositoryRoot.appendingPathComponent("Traces/pod-to-pod-http.pcap").path
    static let map = repositoryRoot.appendingPathComponent("Traces/pod-to-pod-http.map.json").path
    static let topology = repositoryRoot.appendingPathComponent("Examples/replay-pairs.json").path

    @Test func jsonHasTheSimulateShapePlusCapturedLatency() throws {
        let result = try NetlabBinary.run([
            "replay", Self.trace, "--map", Self.map, "--topology", Self.topology, "--format", "json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        for key in ["trace", "mode", "topology", "seed", "duration_ns", "profile", "groupings", "warnings"] {
            #expect(root[key] != nil, "missing \(key)")
        }
        let groupings = try #require(root["groupings"] as? [[String: Any]])
        #expect(groupings.map { $0["name"] as? String } == ["pairs-in-one-pod", "same-node", "cross-node"])
        let flow = try #require((groupings[0]["flows"] as? [[String: Any]])?.first)
        #expect(flow["name"] as? String == "client->web/tcp")
        #expect(flow["captured_latency_ns"] is [String: Any])
        #expect(flow["captured_exchanges"] as? Int == 20)
        #expect(flow["messages"] as? Int == 40)
    }

    /// `--breakdown` adds each conversation class's latency by stage to the table.
    @Test func breakdownAddsStagesPerConversationClass() throws {
        let arguments = ["replay", Self.trace, "--map", Self.map, "--topology", Self.topology, "--format", "table"]
        let result = try NetlabBinary.run(arguments + ["--breakdown"])
        #expect(result.status == 0, "\(result.standardError)")
        let section = try #require(result.standardOutput.components(separatedBy: "latency by stage").last)
        #expect(section.contains("client->web/tcp") && section.contains("tail") && section.contains("cross-node"))
        let plain = try NetlabBinary.run(arguments)
        #expect(!plain.standardOutput.contains("latency by stage"))
    }

    @Test func suggestMapPrintsAStarterMap() throws {
        let result = try NetlabBinary.run(["replay", "--suggest-map", Self.trace])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains(#""container": "http-8080""#))
        #expect(result.standardOutput.contains(#""match": "198.18.0.3""#))
    }

    @Test(arguments: [
        (["replay", "TRACE"], "--map and --topology are required"),
        (["replay", "TRACE", "--map", "TOPOLOGY", "--topology", "TOPOLOGY"], "no \"endpoints\" list"),
        (
            ["replay", "TRACE", "--map", "MAP", "--topology", "TOPOLOGY", "--speed", "0"],
            "--speed: 0.0 is out of range"
        ),
        (["replay", "TRACE", "--map", "MAP", "--topology", "TOPOLOGY", "--grouping", "nope"], "no grouping \"nope\""),
        (["replay", "/nonexistent.pcap", "--map", "MAP", "--topology", "TOPOLOGY"], "/nonexistent.pcap: no such file"),
    ])
    func badInputGivesOneLineAndStatusTwo(arguments: [String], mention: String) throws {
        let resolved = arguments.map { ["TRACE": Self.trace, "MAP": Self.map, "TOPOLOGY": Self.topology][$0] ?? $0 }
        let result = try NetlabBinary.run(resolved)
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("netlab: "))
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(result.standardError.contains(mention), "\(result.standardError)")
    }
}
