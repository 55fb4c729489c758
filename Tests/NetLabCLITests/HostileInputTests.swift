import Foundation
import Testing

/// Inputs a hostile or careless user gives: each gets one located line and exit status 2, never a
/// trap, a huge message or a replaced file.
@Suite struct HostileInputTests {
    static let root = TableWidthTests.root

    /// One line on standard error, status 2, naming `mention`.
    func expectRefusal(_ arguments: [String], mentioning mention: String) throws {
        let result = try NetlabBinary.run(arguments)
        #expect(result.status == 2, "\(arguments.prefix(3)): \(result.standardError.prefix(300))")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError.prefix(600))")
        #expect(result.standardError.count < 2000)
        #expect(result.standardError.contains(mention), "\(result.standardError.prefix(300))")
    }

    @Test func sweepsWhosePointsOverflowAreRefused() throws {
        // 5 axes × 10,000 values: 10²⁰ points, past what an Int holds.
        var arguments = ["sweep", SimulateCommandTests.example]
        for container in ["web", "client", "log-shipper"] {
            arguments += ["--set", "containers[\(container)].cpu=1..10000:+1"]
        }
        for flow in ["http", "access-log"] { arguments += ["--set", "flows[\(flow)].rate=1/s..10000/s:+1/s"] }
        try expectRefusal(arguments, mentioning: "over 9.2e18 points")
        try expectRefusal(
            ["sweep", SimulateCommandTests.example, "--set", "duration=1s", "--set", "duration=2s"],
            mentioning: "duration is swept twice")
        try expectRefusal(
            [
                "sweep", SimulateCommandTests.example, "--set", "containers[web].cpu=1..1000:+1", "--set",
                "containers[client].cpu=1..1000:+1", "--replications", "1000",
            ], mentioning: "make 1000000000 runs")
    }

    @Test func aHugeCpusetIsRefused() throws {
        let folder = try SweepCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOfFile: SimulateCommandTests.example, encoding: .utf8)
            .replacingOccurrences(
                of: #""containers": ["#, with: #""containers": [{"name": "zz", "cpuset": "9223372036854775807"},"#)
        let file = folder.appendingPathComponent("cpuset.json").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try expectRefusal(["simulate", file], mentioning: "cpuset core 9223372036854775807 is beyond 63")
    }

    @Test func aReplayTooSlowToRunIsRefused() throws {
        let root = Self.root.path
        try expectRefusal(
            [
                "replay", "\(root)/Traces/pod-to-pod-http.pcap", "--map", "\(root)/Traces/pod-to-pod-http.map.json",
                "--topology", "\(root)/Examples/replay-pairs.json", "--speed", "1e-300",
            ], mentioning: "more than 30 days")
    }

    /// A shard of 100,000 merged alone gets a short list of what is missing; a record of 1e999
    /// is refused.
    @Test func forgedShardFilesAreRefusedBriefly() throws {
        let folder = try SweepCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("shard.jsonl").path
        let made = try NetlabBinary.run(
            ["sweep", SimulateCommandTests.example] + SweepCommandTests.sets + ["--shard", "0/2", "--output", file])
        try #require(made.status == 0, "\(made.standardError)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let million = folder.appendingPathComponent("million.jsonl").path
        let lone = try NetlabBinary.run(
            ["sweep", SimulateCommandTests.example] + SweepCommandTests.sets + [
                "--shard", "0/100000", "--output", million,
            ])
        try #require(lone.status == 0, "\(lone.standardError)")
        #expect(lone.standardError.contains("of the 100000 shards run nothing"))
        try expectRefusal(["merge", million], mentioning: "99999 shard(s) missing")
        var lines = text.split(separator: "\n").map(String.init)
        let values = try #require(lines[1].range(of: #""values":["#))
        lines[1].replaceSubrange(values.upperBound..<values.upperBound, with: "1e999,")
        lines[1] = lines[1].replacingOccurrences(of: #"1e999,[0-9.e+-]+"#, with: "1e999", options: .regularExpression)
        let huge = folder.appendingPathComponent("huge.jsonl").path
        try lines.joined(separator: "\n").appending("\n").write(toFile: huge, atomically: true, encoding: .utf8)
        try expectRefusal(["merge", huge, "--format", "table"], mentioning: "a value (1e999)")
    }

    /// Control and bidirectional characters in a name are escaped: the error stays one line.
    @Test func controlCharactersInNamesAreEscaped() throws {
        try expectRefusal(
            ["simulate", "web\u{1b}[31m\nlog\u{202e}.json"], mentioning: #"web\u{1b}[31m\u{a}log\u{202e}.json"#)
    }

    /// --output onto a symbolic link writes through it; onto a device it writes into the device,
    /// which stays a device (never replaced by a regular file).
    @Test func outputNeverReplacesWhatIsNotARegularFile() throws {
        let folder = try SweepCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("target.json").path
        let link = folder.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let arguments = ["simulate", SimulateCommandTests.example, "--duration", "150ms", "--format", "json"]
        let written = try NetlabBinary.run(arguments + ["--output", link])
        #expect(written.status == 0, "\(written.standardError)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("{"))
        let device = try NetlabBinary.run(arguments + ["--output", "/dev/null"])
        #expect(device.status == 0, "\(device.standardError)")
        let kind = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(kind == .typeCharacterSpecial)
        try expectRefusal(arguments + ["--output", folder.path], mentioning: "is a folder")
    }

    /// A report written to a file (streamed in pieces, then renamed into place) is the report
    /// standard output gets, byte for byte, replaces the old file and leaves nothing else behind.
    @Test func outputToAFileIsTheWholeReportAndNothingElse() throws {
        let folder = try SweepCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("report.json").path
        try "old".write(toFile: file, atomically: false, encoding: .utf8)
        let arguments = ["simulate", SimulateCommandTests.example, "--duration", "150ms", "--format", "json"]
        let printed = try NetlabBinary.run(arguments)
        let written = try NetlabBinary.run(arguments + ["--output", file])
        #expect(written.status == 0, "\(written.standardError)")
        #expect(written.standardOutput.isEmpty)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == printed.standardOutput)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.json"])
    }
}
