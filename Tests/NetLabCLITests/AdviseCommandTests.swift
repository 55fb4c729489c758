import Foundation
import Testing

/// `netlab advise`: a search over groupings, its output, and its refusals.
@Suite struct AdviseCommandTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "netlab-advise-\(UUID().uuidString).json"
        ).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The example's answer as JSON: how the space was searched, the best grouping, one answer
    /// per talking pair; the table names the same best grouping.
    @Test func adviseReportsSearchBestAndPairs() throws {
        let arguments = [
            "advise", SimulateCommandTests.example, "--duration", "130ms", "--replications", "3",
        ]
        let result = try NetlabBinary.run(arguments + ["--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let search = try #require(root["search"] as? [String: Any])
        #expect(search["mode"] as? String == "exhaustive")
        #expect(search["distinct"] as? Int == 11)
        #expect(search["valid"] as? Int == 6)
        let best = try #require(root["best"] as? String)
        #expect(!best.isEmpty)
        let pairs = try #require(root["pairs"] as? [[String: Any]])
        #expect(pairs.count == 2)
        #expect(pairs.allSatisfy { ($0["recommendation"] as? String)?.isEmpty == false })
        let table = try NetlabBinary.run(arguments + ["--format", "table"])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("best: \(best)"))
        #expect(table.standardOutput.contains("same host?"))
    }

    static let twoNodes = #""cluster": { "nodes": [ { "name": "a", "cores": 4 }, { "name": "b", "cores": 4 } ] }"#
    static let flow =
        #""flows": [ { "from": "app", "to": "db", "pattern": "oneway", "size": "100B", "rate": "100/s" } ]"#

    @Test(arguments: [
        (
            #""containers": [ { "name": "app", "cpu": 3 }, { "name": "db", "cpu": 3 } ], "same_host": [["app", "db"]]"#,
            #"same_host[0]: "app" + "db" request 3.0 + 3.0 = 6.0 cores, more than the largest node's 4"#
        ),
        (
            #""containers": ["app", "db"], "same_host": [["app", "db"]], "separate": [["db", "app"]]"#,
            #""app" and "db" are both in same_host and in separate"#
        ),
        (
            #""containers": [ { "name": "app", "scaling": "independent", "scales_with": "db" }, "db" ]"#,
            #"container "app" scales independently and with others"#
        ),
        (
            #""containers": [ { "name": "app", "replicas": 2, "scales_with": ["db"] }, "db" ]"#,
            #"container "app" scales with "db" but has 2 replica(s) to its 1"#
        ),
        (
            #""containers": [ { "name": "app", "scaling": "sometimes" }, "db" ]"#, #"unknown scaling "sometimes""#
        ),
        (#""containers": ["app", "db"], "separate": [["app", "dbb"]]"#, #"did you mean "db"?"#),
    ])
    func contradictoryRulesAreRefused(containers: String, mention: String) throws {
        let path = try Self.file("{ \(Self.twoNodes), \(containers), \(Self.flow) }")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try NetlabBinary.run(["advise", path])
        #expect(result.status == 2)
        #expect(result.standardError.contains(mention), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    /// A flow that needs one pod (a Unix socket without fallback) between containers the rules
    /// keep apart cannot be satisfied.
    @Test func aPinnedFlowBetweenSeparatedContainersIsRefused() throws {
        let path = try Self.file(
            #"{ \#(Self.twoNodes), "containers": ["app", "db"], "separate": [["app", "db"]], "flows": [ { "from": "app", "to": "db", "pattern": "oneway", "transport": "uds", "size": "100B", "rate": "100/s" } ] }"#
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try NetlabBinary.run(["advise", path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("uses uds, which needs \"app\" and \"db\" in one pod"))
    }

    /// An objective on a metric netlab does not measure is named with the ones it does.
    @Test func anObjectiveOnAnUnknownMetricIsRefused() throws {
        let path = try Self.file(
            #"{ \#(Self.twoNodes), "containers": ["app", "db"], "flows": [ { "from": "app", "to": "db", "pattern": "oneway", "size": "100B", "rate": "100/s", "slo": { "p95": "1ms" } } ] }"#
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try NetlabBinary.run(["advise", path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("unknown key \"p95\""), "\(result.standardError)")
    }

    /// When no grouping can run, advise says why instead of recommending nothing.
    @Test func noValidGroupingIsAnError() throws {
        let path = try Self.file(
            #"{ "cluster": { "nodes": [ { "name": "a", "cores": 2 } ] }, "containers": [ { "name": "app", "cpu": 1.5 }, { "name": "db", "cpu": 1.5 } ], \#(Self.flow) }"#
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try NetlabBinary.run(["advise", path])
        #expect(result.status == 2)
        #expect(
            result.standardError.contains("no grouping of the containers fits the nodes"), "\(result.standardError)")
        #expect(result.standardError.contains("refused: 2 does not fit the nodes"))
    }
}
