import Foundation
import Testing

@Suite struct BenchHoldCommandTests {
    @Test func jsonOutputHasTheDocumentedFields() throws {
        let result = try NetlabBinary.run(["bench", "hold", "--pending", "1000", "--events", "1e5", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["pending"] as? Int == 1000)
        #expect(object["events"] as? Int == 100_000)
        let seconds = try #require(object["seconds"] as? Double)
        let rate = try #require(object["events_per_second"] as? Double)
        #expect(seconds > 0)
        #expect(abs(rate - 100_000 / seconds) <= 1)
        // Field order follows DESIGN.md §5.
        let keys = ["\"pending\"", "\"events\"", "\"seconds\"", "\"events_per_second\""]
        let positions = keys.compactMap { result.standardOutput.range(of: $0)?.lowerBound }
        #expect(positions.count == 4 && positions == positions.sorted())
    }

    @Test func tableAndCSVFormatsPrintOneRow() throws {
        let table = try NetlabBinary.run(["bench", "hold", "--pending", "100", "--events", "1000", "--format", "table"])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("M events/s"))
        let csv = try NetlabBinary.run([
            "bench", "hold", "--pending", "100", "--events", "1000", "--queue", "4-ary-heap", "--format", "csv",
        ])
        #expect(csv.status == 0)
        let lines = csv.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first == "queue,pending,events,seconds,events_per_second")
        #expect(lines.last?.hasPrefix("4-ary-heap,100,1000,") == true)
    }

    @Test(arguments: [
        (["bench", "hold", "--pending", "0", "--events", "10"], "--pending"),
        (["bench", "hold", "--pending", "10", "--events", "many"], "events"),
        (["bench", "hold", "--pending", "10"], "--events"),
        (["bench", "hold", "--pending", "10", "--events", "10", "--format", "xml"], "format"),
        (["bench", "hold", "--pending", "10", "--events", "10", "--queue", "splay"], "queue"),
        (["frobnicate"], "frobnicate"),
    ])
    func badArgumentsGiveOneLineErrorAndStatusTwo(arguments: [String], mention: String) throws {
        let result = try NetlabBinary.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got: \(result.standardError)")
        #expect(lines.first?.hasPrefix("netlab: ") == true)
        #expect(result.standardError.contains(mention))
    }

    @Test func helpTeachesWithAnExample() throws {
        let result = try NetlabBinary.run(["bench", "hold", "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("netlab bench hold --pending 100000 --events 20000000"))
        let root = try NetlabBinary.run(["--help"])
        #expect(root.status == 0)
        #expect(root.standardOutput.contains("Examples:"))
    }

    @Test func versionPrints() throws {
        let result = try NetlabBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }
}

@Suite struct BenchIngestCommandTests {
    /// A small generated capture: the floor and netlab read the same packets; the file is removed.
    @Test func ingestComparesNetlabWithTheFloor() throws {
        let result = try NetlabBinary.run([
            "bench", "ingest", "--packets", "20000", "--no-tshark", "--runs", "1", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(root["packets"] as? Int == 20_000)
        #expect(root["conversations"] as? Int == 1000)
        #expect((root["floor_seconds"] as? Double ?? 0) > 0)
        #expect((root["netlab_seconds"] as? Double ?? 0) > 0)
        let file = try #require(root["file"] as? String)
        #expect(!FileManager.default.fileExists(atPath: file), "the generated capture is deleted")
    }
}
