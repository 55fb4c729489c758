import Foundation
import Testing

@Suite struct BenchSimulateCommandTests {
    static let example = repositoryRoot.appendingPathComponent("Examples/web-log-sidecar.json").path

    @Test func reportsEveryGroupingWithItsEventsAndDelays() throws {
        let result = try NetlabBinary.run([
            "bench", "simulate", Self.example, "--duration", "150ms", "--rounds", "2", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["grouping"] as? String } == ["sidecar-in-pod", "two-pods-one-node", "two-nodes"])
        for row in rows {
            let events = try #require(row["events"] as? Int)
            let messages = try #require(row["messages"] as? Int)
            #expect(events > messages && messages > 0)
            let smallest = try #require(row["min_delay_ns"] as? Double)
            let mean = try #require(row["mean_delay_ns"] as? Double)
            let largest = try #require(row["max_delay_ns"] as? Double)
            #expect(smallest <= mean && mean <= largest)
            let best = try #require(row["best_seconds"] as? Double)
            let median = try #require(row["median_seconds"] as? Double)
            #expect(best > 0 && best <= median)
        }
        // The same run as `simulate`: the same events for the same topology and seed.
        let simulated = try NetlabBinary.run(["simulate", Self.example, "--duration", "150ms", "--format", "json"])
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(simulated.standardOutput.utf8)) as? [String: Any])
        let groupings = try #require(root["groupings"] as? [[String: Any]])
        #expect(groupings.map { $0["events"] as? Int } == rows.map { $0["events"] as? Int })
    }

    @Test func badRoundsAndUnknownGroupingsAreRefused() throws {
        let rounds = try NetlabBinary.run(["bench", "simulate", Self.example, "--rounds", "0"])
        #expect(rounds.status == 2 && rounds.standardError.contains("--rounds"))
        let grouping = try NetlabBinary.run(["bench", "simulate", Self.example, "--grouping", "nope"])
        #expect(grouping.status == 2 && grouping.standardError.contains("nope"))
    }
}
