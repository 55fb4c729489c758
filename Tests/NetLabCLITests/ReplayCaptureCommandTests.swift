import Foundation
import Testing

/// `netlab replay --captured-in GROUPING --capture-point POINT`.
@Suite struct ReplayCaptureCommandTests {
    static let http = [
        "replay", ReplayCommandTests.trace, "--map", ReplayCommandTests.map, "--topology", ReplayCommandTests.topology,
    ]
    static let loopback = [
        "replay", repositoryRoot.appendingPathComponent("Traces/intra-pod-loopback.pcap").path,
        "--map", repositoryRoot.appendingPathComponent("Traces/intra-pod-loopback.map.json").path,
        "--topology", ReplayCommandTests.topology,
    ]

    @Test func theCheckComesFirstInTheTableAndInJSON() throws {
        let arguments = Self.http + ["--mode", "causal", "--captured-in", "same-node", "--capture-point", "bridge"]
        let table = try NetlabBinary.run(arguments + ["--format", "table"])
        #expect(table.status == 0, "\(table.standardError)")
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "Replay of \(ReplayCommandTests.trace)")
        #expect(
            lines.dropFirst(3).first?.hasPrefix("Consistency check (not a validation of the profile): replayed through")
                == true, "\(lines.prefix(3))")
        #expect(
            lines.dropFirst().filter { !$0.hasPrefix("warning:") }.allSatisfy { $0.count <= 100 },
            "a line wider than 100 columns")
        let json = try NetlabBinary.run(arguments + ["--format", "json"])
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let origin = try #require(root["captured_in"] as? [String: Any])
        #expect(origin["grouping"] as? String == "same-node" && origin["capture_point"] as? String == "node")
        #expect(root["check_kind"] as? String == "consistency")
        let check = try #require((root["check"] as? [[String: Any]])?.first)
        #expect(
            check["modelled_p50_ns"] as? Double ?? 0 > 0, "a capture away from the client leaves its side to the model")
        #expect(check["flow"] as? String == "client->web/tcp")
        #expect(check["exchanges"] as? Int == 20)
        let error = try #require(check["p50_error"] as? Double)
        #expect(abs(error) <= 0.10)
        // The captured grouping is replayed first.
        let groupings = try #require(root["groupings"] as? [[String: Any]])
        #expect(groupings.map { $0["name"] as? String } == ["same-node", "pairs-in-one-pod", "cross-node"])
        let flow = try #require((groupings[1]["flows"] as? [[String: Any]])?.first)
        #expect(flow["captured_application_latency_ns"] is [String: Any])
        #expect(flow["application_gap_ns"] is [String: Any])
        #expect(flow["exchange_latency_ns"] is [String: Any])
    }

    @Test func openModeShowsRequestToReplyBesideOneWayDelivery() throws {
        let result = try NetlabBinary.run(Self.http + ["--format", "table"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("req→reply p50") && result.standardOutput.contains("one-way p50"))
        let json = try NetlabBinary.run(Self.http + ["--format", "json"])
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let flow = try #require(((root["groupings"] as? [[String: Any]])?.first?["flows"] as? [[String: Any]])?.first)
        #expect(flow["exchanges"] as? Int == 20)
    }

    @Test(arguments: [
        (["--captured-in", "same-nod"], "did you mean \"same-node\""),
        (["--captured-in", "pairs-in-one-pod", "--capture-point", "server"], "loopback"),
        (["--captured-in", "pairs-in-one-pod", "--capture-point", "eth7"], "unknown capture point \"eth7\""),
        (["--capture-point", "node"], "--captured-in"),
    ])
    func badCaptureOriginsAreRefused(extra: [String], mention: String) throws {
        let result = try NetlabBinary.run(Self.loopback + ["--mode", "causal"] + extra)
        #expect(result.status == 2)
        #expect(result.standardError.contains(mention), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardOutput.isEmpty)
    }
}
