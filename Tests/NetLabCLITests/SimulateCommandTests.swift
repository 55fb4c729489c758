import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite struct SimulateCommandTests {
    static let example = repositoryRoot.appendingPathComponent("Examples/web-log-sidecar.json").path
    static let golden = repositoryRoot.appendingPathComponent("Tests/NetLabCLITests/Golden/web-log-sidecar-200ms.json")

    /// The JSON of a bundled example matches the checked-in golden output byte for byte. After a
    /// deliberate model change, regenerate it with `NETLAB_UPDATE_GOLDEN=1 swift test --filter Golden`.
    @Test func jsonMatchesGoldenOutput() throws {
        let result = try NetlabBinary.run(["simulate", Self.example, "--duration", "200ms", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        if ProcessInfo.processInfo.environment["NETLAB_UPDATE_GOLDEN"] == "1" {
            try result.standardOutput.write(to: Self.golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: Self.golden, encoding: .utf8)
        #expect(result.standardOutput == expected)
    }

    /// `--breakdown` adds the latency by stage to the table, within 100 columns.
    @Test func breakdownAddsStagesToTheTable() throws {
        let result = try NetlabBinary.run([
            "simulate", Self.example, "--duration", "200ms", "--format", "table", "--breakdown",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let section = try #require(result.standardOutput.components(separatedBy: "latency by stage").last)
        #expect(section.contains("tail") && section.contains("access-log"))
        for line in section.split(separator: "\n") { #expect(line.count <= 100, "\(line)") }
        let plain = try NetlabBinary.run(["simulate", Self.example, "--duration", "200ms", "--format", "table"])
        #expect(!plain.standardOutput.contains("latency by stage"))
    }

    @Test func outputHasTheDocumentedShape() throws {
        let result = try NetlabBinary.run(["simulate", Self.example, "--duration", "200ms", "--format", "json"])
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        for key in ["topology", "seed", "duration_ns", "profile", "groupings"] {
            #expect(root[key] != nil, "missing \(key)")
        }
        #expect(root["duration_ns"] as? Int == 200_000_000)
        let groupings = try #require(root["groupings"] as? [[String: Any]])
        #expect(groupings.map { $0["name"] as? String } == ["sidecar-in-pod", "two-pods-one-node", "two-nodes"])
        for grouping in groupings {
            for key in ["name", "flows", "nodes", "links", "events"] { #expect(grouping[key] != nil, "missing \(key)") }
            let flows = try #require(grouping["flows"] as? [[String: Any]])
            for flow in flows {
                for key in [
                    "name", "from", "to", "path", "messages", "bytes", "dropped", "latency_ns", "throughput_bps",
                ] {
                    #expect(flow[key] != nil, "missing \(key)")
                }
                let latency = try #require(flow["latency_ns"] as? [String: Any])
                for key in ["mean", "p50", "p90", "p99", "p999", "max"] {
                    #expect(latency[key] != nil, "missing \(key)")
                }
            }
        }
    }

    @Test func sameSeedSameBytesDifferentSeedDifferentNumbers() throws {
        let first = try NetlabBinary.run(["simulate", Self.example, "--duration", "300ms", "--format", "json"])
        let second = try NetlabBinary.run(["simulate", Self.example, "--duration", "300ms", "--format", "json"])
        let reseeded = try NetlabBinary.run([
            "simulate", Self.example, "--duration", "300ms", "--format", "json", "--seed", "7",
        ])
        #expect(first.standardOutput == second.standardOutput)
        #expect(first.standardOutput != reseeded.standardOutput)
    }

    /// The table fits a 100-column terminal whatever the number of groupings (one row per flow
    /// and grouping), and its verdict names the leader, the runner-up, and why.
    @Test func tableFitsOneHundredColumnsAndGivesAVerdict() throws {
        let table = try NetlabBinary.run(["simulate", Self.example, "--duration", "200ms", "--format", "table"])
        #expect(table.status == 0)
        let lines = table.standardOutput.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 100 }, "\(lines.filter { $0.count > 100 })")
        #expect(table.standardOutput.contains("verdict: sidecar-in-pod: relative p99"))
        #expect(table.standardOutput.contains("access-log p99"))
        let json = try NetlabBinary.run(["simulate", Self.example, "--duration", "200ms", "--format", "json"])
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let ranking = try #require(root["ranking"] as? [String])
        #expect(ranking.first == "sidecar-in-pod" && ranking.count == 3)
        #expect((root["verdict"] as? String)?.hasPrefix("sidecar-in-pod: relative p99") == true)
        // Over the example's whole second, http (across nodes in every grouping) has one p99
        // within 20% everywhere: it is named unaffected, and the log shipper decides.
        let whole = try NetlabBinary.run(["simulate", Self.example, "--format", "json"])
        let wholeRoot = try #require(
            try JSONSerialization.jsonObject(with: Data(whole.standardOutput.utf8)) as? [String: Any])
        #expect(wholeRoot["unaffected_flows"] as? [String] == ["http"])
        #expect(wholeRoot["affected_flows"] as? [String] == ["access-log"])
        #expect((wholeRoot["ranking"] as? [String])?.first == "sidecar-in-pod")
    }

    @Test func groupingSelectionTableAndCSV() throws {
        let table = try NetlabBinary.run([
            "simulate", Self.example, "--duration", "300ms", "--grouping", "two-nodes", "--format", "table",
        ])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("flow        grouping   path"))
        #expect(table.standardOutput.contains("access-log  two-nodes  cross-node"))
        #expect(!table.standardOutput.contains("sidecar-in-pod"))
        let csv = try NetlabBinary.run([
            "simulate", Self.example, "--duration", "300ms", "--format", "csv", "--profile", "ideal",
        ])
        let lines = csv.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasPrefix("grouping,flow,from,to,path,") == true)
        #expect(lines.count == 1 + 3 * 2)
    }

    @Test func outputFileReceivesTheResult() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-\(UUID().uuidString).json")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try NetlabBinary.run(["simulate", Self.example, "--duration", "150ms", "--output", path])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.hasPrefix("{"), "files default to JSON")
    }

    @Test func profileFileOverridesTheWakeUp() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString).json")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{ "base": "linux-default", "overrides": { "wakeup": "40us" } }"#.write(
            toFile: path, atomically: true, encoding: .utf8)
        let slow = try NetlabBinary.run([
            "simulate", Self.example, "--duration", "300ms", "--format", "json", "--profile", path,
        ])
        #expect(slow.status == 0, "\(slow.standardError)")
        #expect(slow.standardOutput.contains("\"profile\": \"linux-default+overrides\""))
    }

    @Test(arguments: [
        (["simulate", "/nonexistent/topology.json"], "/nonexistent/topology.json: no such file"),
        (["simulate", "EXAMPLE", "--grouping", "nope"], "--grouping: no grouping \"nope\""),
        (["simulate", "EXAMPLE", "--duration", "10 parsecs"], "--duration: \"10 parsecs\" has an unknown unit"),
        (["simulate", "EXAMPLE", "--duration", "50ms"], "--duration: 50ms is not longer than the warm-up"),
        (
            ["simulate", "EXAMPLE", "--profile", "turbo"],
            "--profile: \"turbo\" is neither a built-in profile nor a file"
        ),
        (["simulate", "BROKEN"], "broken.json:3:"),
    ])
    func badInputGivesOneLineAndStatusTwo(arguments: [String], mention: String) throws {
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken.json")
        try "{\n  \"name\": \"x\",\n  \"cluster\": [ }\n".write(to: broken, atomically: true, encoding: .utf8)
        let resolved = arguments.map { $0 == "EXAMPLE" ? Self.example : $0 == "BROKEN" ? broken.path : $0 }
        let result = try NetlabBinary.run(resolved)
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("netlab: "))
        #expect(result.standardError.contains(mention), "\(result.standardError)")
    }
}

@Suite struct YAMLSimulateTests {
    @Test func yamlExampleGivesTheSameOutputAsItsJSONTwin() throws {
        let json = try NetlabBinary.run([
            "simulate", repositoryRoot.appendingPathComponent("Examples/web-log-sidecar.json").path, "--duration",
            "200ms", "--format", "json",
        ])
        let yaml = try NetlabBinary.run([
            "simulate", repositoryRoot.appendingPathComponent("Examples/web-log-sidecar.yaml").path, "--duration",
            "200ms", "--format", "json",
        ])
        #expect(yaml.status == 0, "\(yaml.standardError)")
        #expect(yaml.standardOutput == json.standardOutput)
    }
}

/// Messages for mistakes typed on the command line say what is wrong in words.
@Suite struct CommandLineMessageTests {
    @Test(arguments: [
        (["simulat"], "unknown command 'simulat'; did you mean 'simulate'"),
        (["calibrat", "--quick"], "did you mean 'calibrate'"),
        (["simulate", "Examples/web-log-sidecar.json", "--seed", "-1"], "'-1' is invalid for '--seed"),
        (["simulate", "Examples"], "Examples: is a directory"),
        (["replay", "Traces/pod-to-pod-http.pcap"], "replay: --map and --topology are required"),
        (["simulate", "Examples/web-log-sidecar.json", "--replications", "0"], "--replications: 0 is out of range"),
        (
            ["simulate", "Examples/web-log-sidecar.json", "--format", "xml"],
            "The value 'xml' is invalid for '--format <format>'. Please provide one of the following: table, json"
        ),
        (["simulate", "Examples/web-log-sidecar.json", "--precision", "0%"], "--precision: \"0%\" is not a share"),
        (
            ["simulate", "Examples/web-log-sidecar.json", "--precision", "5%", "--max-replications", "3"],
            "--max-replications: 3 is below"
        ),
    ])
    func mistakesAreNamed(arguments: [String], mention: String) throws {
        let resolved = arguments.map {
            $0.hasPrefix("Examples") || $0.hasPrefix("Traces") ? repositoryRoot.appendingPathComponent($0).path : $0
        }
        let result = try NetlabBinary.run(resolved)
        #expect(result.status == 2)
        #expect(
            result.standardError.contains(
                mention.replacingOccurrences(of: "Examples:", with: "\(repositoryRoot.path)/Examples:")),
            "\(result.standardError)")
        #expect(!result.standardError.contains("netlab: netlab"))
    }

    /// `--output result.csv` writes CSV, `report.html` HTML, unless --format says otherwise.
    @Test func outputFormatFollowsTheFileName() throws {
        let example = SimulateCommandTests.example
        for (suffix, start) in [("csv", "grouping,flow"), ("html", "<!DOCTYPE html>"), ("json", "{")] {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "netlab-format-\(getpid()).\(suffix)"
            ).path
            defer { try? FileManager.default.removeItem(atPath: file) }
            let result = try NetlabBinary.run(["simulate", example, "--duration", "200ms", "--output", file])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix(start), "\(suffix)")
        }
    }

    /// With replications the CSV carries the intervals and the paired difference from the best,
    /// as the JSON does, and every row the grouping's rank.
    @Test func replicationsAddIntervalsToTheCSV() throws {
        let result = try NetlabBinary.run([
            "simulate", SimulateCommandTests.example, "--duration", "150ms", "--replications", "3", "--format", "csv",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = result.standardOutput.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let header = rows[0].map(String.init)
        let rank = try #require(header.firstIndex(of: "rank"))
        let count = try #require(header.firstIndex(of: "replications"))
        let difference = try #require(header.firstIndex(of: "p99_minus_best_mean_ns"))
        let best = try #require(header.firstIndex(of: "best_p99_grouping"))
        #expect(rows.count == 7)
        for row in rows.dropFirst() {
            #expect(row.count == header.count)
            #expect(["1", "2", "3"].contains(String(row[rank])))
            #expect(row[count] == "3")
            // The best grouping's difference from itself is zero; the others' are not negative on average.
            if row[best] == row[0] { #expect(Double(row[difference]) == 0) }
        }
    }

    /// `--replications` adds, per flow, the mean and 95% interval of each metric over the runs.
    @Test func replicationsAddIntervalsToTheJSON() throws {
        let result = try NetlabBinary.run([
            "simulate", SimulateCommandTests.example, "--duration", "200ms", "--replications", "3", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let flows = try #require((root["groupings"] as? [[String: Any]])?.first?["flows"] as? [[String: Any]])
        for flow in flows {
            let block = try #require(flow["replications"] as? [String: Any])
            #expect(block["count"] as? Int == 3)
            let p99 = try #require(block["latency_p99_ns"] as? [String: Double])
            #expect(p99["mean"] != nil && (p99["ci95"] ?? -1) >= 0)
        }
    }
}

extension CommandLineMessageTests {
    /// `--precision` out of reach within `--max-replications`: the result of what ran, exit 0, and
    /// a warning saying how far it got.
    @Test func precisionOutOfReachWarnsAndReports() throws {
        let result = try NetlabBinary.run([
            "simulate", SimulateCommandTests.example, "--duration", "150ms", "--precision", "0.1%",
            "--max-replications", "6", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("warning: --precision 0.1% not reached in 6 replications"))
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let precision = try #require(root["precision"] as? [String: Any])
        #expect(precision["replications"] as? Int == 6)
        #expect(precision["reached"] as? Bool == false)
    }
}

/// Service-level objectives and `--require`: 0 when met, 1 when missed (each miss named), 2 on bad input.
@Suite struct ObjectiveCommandTests {
    static let topology = """
        { "name": "slo", "duration": "200ms", "warmup": "20ms",
          "cluster": { "nodes": [ { "name": "a" }, { "name": "b" } ] },
          "containers": ["web", "log"],
          "flows": [ { "name": "logs", "from": "web", "to": "log", "pattern": "oneway", "transport": "uds", "fallback": "tcp", "size": "300B", "rate": "2000/s",
                       "slo": { "p99": "30us", "loss": "0.1%" } } ],
          "groupings": [ { "name": "one-pod", "pods": [ { "containers": ["web", "log"], "node": "a" } ] },
                         { "name": "two-nodes", "pods": [ { "containers": ["web"], "node": "a" }, { "containers": ["log"], "node": "b" } ] } ] }
        """

    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-slo-\(UUID().uuidString).json")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [("one-pod", Int32(0)), ("best", 0), ("two-nodes", 1), ("nope", 2)])
    func requireExitsByTheVerdict(grouping: String, status: Int32) throws {
        let path = try Self.file(Self.topology)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try NetlabBinary.run(["simulate", path, "--require", grouping, "--format", "json"])
        #expect(result.status == status, "\(result.standardError)")
        if status == 1 { #expect(result.standardError.contains("SLO missed: grouping two-nodes: flow logs: p99")) }
        if status == 0 { #expect(result.standardError.isEmpty) }
        if status != 2 { #expect(result.standardOutput.contains("\"slo\"")) }
    }

    @Test(arguments: [
        (#""slo": { "p95": "1ms" }"#, "unknown key \"p95\""),
        (#""slo": { "loss": "0.1" }"#, "not a percentage"),
        (#""slo": {}"#, "an empty objective"),
        (#""slo": { "p99": "fast" }"#, "p99"),
    ])
    func badObjectivesAreRefused(slo: String, mention: String) throws {
        let text = Self.topology.replacingOccurrences(of: #""slo": { "p99": "30us", "loss": "0.1%" }"#, with: slo)
        let path = try Self.file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try NetlabBinary.run(["simulate", path])
        #expect(result.status == 2)
        #expect(
            result.standardError.contains(mention) && result.standardError.contains("flows[0].slo"),
            "\(result.standardError)")
    }

    /// `--format junit` is well-formed XML with a test case per flow and grouping objective;
    /// `--format markdown` a table for a CI job summary.
    @Test func junitAndMarkdownCarryTheObjectives() throws {
        let path = try Self.file(Self.topology)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let junit = try NetlabBinary.run(["simulate", path, "--format", "junit"])
        #expect(junit.status == 0)
        let parser = XMLParser(data: Data(junit.standardOutput.utf8))
        #expect(parser.parse(), "JUnit output is not well-formed XML: \(junit.standardOutput)")
        #expect(junit.standardOutput.contains(#"tests="2" failures="1""#))
        #expect(junit.standardOutput.contains(#"<testcase classname="slo.two-nodes" name="logs">"#))
        let markdown = try NetlabBinary.run(["simulate", path, "--format", "markdown"])
        #expect(markdown.standardOutput.contains("| flow | grouping | path | p50 | p99 | throughput | SLO |"))
        #expect(markdown.standardOutput.contains("**missed**: p99"))
        let root = repositoryRoot.path
        let replay = try NetlabBinary.run([
            "replay", "\(root)/Traces/pod-to-pod-http.pcap", "--map", "\(root)/Traces/pod-to-pod-http.map.json",
            "--topology", "\(root)/Examples/replay-pairs.json", "--format", "junit",
        ])
        // replay's --format lists only what replay writes.
        #expect(replay.status == 2)
        #expect(
            replay.standardError.contains("Please provide one of 'table', 'json', 'csv' or 'html'"),
            "\(replay.standardError)")
    }
}

/// The verdict of replicated runs: paired intervals, significance said in words.
@Suite struct ReplicatedVerdictTests {
    static func verdict(_ topology: String) throws -> (ranking: [String], text: String) {
        let path = try ObjectiveCommandTests.file(topology)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try NetlabBinary.run(["simulate", path, "--replications", "5", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        return (try #require(root["ranking"] as? [String]), try #require(root["verdict"] as? String))
    }

    /// A Unix socket in one pod against TCP across nodes: the leader wins by an interval clear of zero.
    @Test func aClearWinnerIsSaidWithItsPairedInterval() throws {
        let (ranking, text) = try Self.verdict(ObjectiveCommandTests.topology)
        #expect(ranking == ["one-pod", "two-nodes"])
        #expect(text.hasPrefix("one-pod: "), "\(text)")
        #expect(text.contains("difference") && text.contains("(95%, paired over 5 replications)"))
        #expect(!text.contains("not significantly"))
    }

    /// Two groupings that place everything alike differ by nothing: not significant.
    @Test func identicalGroupingsAreNotSignificantlyDifferent() throws {
        let twins = ObjectiveCommandTests.topology.replacingOccurrences(
            of:
                #"{ "name": "two-nodes", "pods": [ { "containers": ["web"], "node": "a" }, { "containers": ["log"], "node": "b" } ] }"#,
            with: #"{ "name": "one-pod-again", "pods": [ { "containers": ["web", "log"], "node": "a" } ] }"#)
        #expect(twins != ObjectiveCommandTests.topology)
        let (_, text) = try Self.verdict(twins)
        #expect(text.contains("are not significantly different"), "\(text)")
    }
}

/// A calibrated profile written before the host's spreads existed still works, and says what it
/// now gets.
@Suite struct OldProfileTests {
    @Test func aCalibratedProfileWithoutSpreadsSaysSo() throws {
        let directory = FileManager.default.temporaryDirectory
        let old = directory.appendingPathComponent("netlab-old-profile-\(UUID().uuidString).json").path
        let new = directory.appendingPathComponent("netlab-new-profile-\(UUID().uuidString).json").path
        defer {
            try? FileManager.default.removeItem(atPath: old)
            try? FileManager.default.removeItem(atPath: new)
        }
        try #"{"base": "linux-default", "overrides": {"wakeup": "30000000ps"}, "cases": []}"#.write(
            toFile: old, atomically: true, encoding: .utf8)
        try #"{"base": "linux-default", "overrides": {"wakeup": "30000000ps", "work_sigma": 0.2}, "cases": []}"#.write(
            toFile: new, atomically: true, encoding: .utf8)
        let example = SimulateCommandTests.example
        let before = try NetlabBinary.run([
            "simulate", example, "--duration", "200ms", "--profile", old, "--format", "json",
        ])
        #expect(before.status == 0, "\(before.standardError)")
        #expect(before.standardError.contains("calibrated before netlab modelled the host's spreads"))
        let after = try NetlabBinary.run([
            "simulate", example, "--duration", "200ms", "--profile", new, "--format", "json",
        ])
        #expect(after.status == 0, "\(after.standardError)")
        #expect(!after.standardError.contains("spreads"))
    }
}
