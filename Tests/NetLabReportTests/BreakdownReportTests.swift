import Foundation
import NetLabModel
import Testing

@testable import NetLabReport

/// Latency by stage in the outputs: JSON and CSV carry the same figures, the table stays within
/// 100 columns, the verdict names the stages that make the difference.
@Suite struct BreakdownReportTests {
    static let topology = """
        { "name": "pair", "duration": "300ms", "warmup": "20ms", "seed": 5, "profile": "linux-default",
          "cluster": { "nodes": [ { "name": "a", "cores": 4 }, { "name": "b", "cores": 4 } ] },
          "containers": ["an-application-with-a-long-name", "helper"],
          "flows": [
            { "name": "calls", "from": "an-application-with-a-long-name", "to": "helper", "pattern": "rpc", "request": "200B", "response": "2KiB", "interval": { "exp": "100us" } },
            { "name": "logs", "from": "an-application-with-a-long-name", "to": "helper", "pattern": "oneway", "transport": "uds", "fallback": "tcp", "size": "1KiB", "interval": "200us" } ],
          "groupings": [
            { "name": "one-pod", "pods": [ { "containers": ["an-application-with-a-long-name", "helper"], "node": "a" } ] },
            { "name": "two-nodes-with-a-long-grouping-name", "pods": [ { "containers": ["an-application-with-a-long-name"], "node": "a" }, { "containers": ["helper"], "node": "b" } ] } ] }
        """

    static func result(replications: Int = 1) throws -> ReplicatedResult {
        let topology = try TopologyReader.read(Self.topology, file: "pair.json")
        let profile = ProfileReader.builtIn("linux-default", overrides: [:])!
        return ReplicatedResult(
            Experiment.replicate(topology, groupings: [0, 1], profile: profile, seed: 5, replications: replications))
    }

    @Test func jsonStagesAddUpToTheMeanLatency() throws {
        let replicated = try Self.result()
        let json = SimulationReport.json(replicated).rendered()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let groupings = try #require(document["groupings"] as? [[String: Any]])
        for grouping in groupings {
            for flow in try #require(grouping["flows"] as? [[String: Any]]) {
                let breakdown = try #require(flow["breakdown"] as? [String: Any])
                let mean = try #require(breakdown["mean_ns"] as? [String: Double])
                #expect(mean.count == Stage.allCases.count)
                let latency = try #require((flow["latency_ns"] as? [String: Any])?["mean"] as? Double)
                // Each stage is rounded to the picosecond: 14 of them differ by at most 7 ps in all.
                #expect(abs(mean.values.reduce(0, +) - latency) < 0.01, "\(mean.values.reduce(0, +)) vs \(latency)")
                let tail = try #require(breakdown["tail"] as? [String: Any])
                #expect(try #require(tail["messages"] as? Int) >= 1)
            }
        }
        #expect((document["verdict"] as? String)?.contains("tail") == true)
    }

    @Test func csvRowsCarryEveryStage() throws {
        let csv = SimulationReport.csv(try Self.result())
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = lines[0].map(String.init)
        #expect(header.contains("stage_wakeup_mean_ns") && header.contains("stage_queueing_tail_ns"))
        #expect(header.filter { $0.hasPrefix("stage_") }.count == 2 * Stage.allCases.count)
        for row in lines.dropFirst() { #expect(row.count == header.count) }
    }

    @Test func tableFitsOneHundredColumns() throws {
        let result = try Self.result().replications[0]
        let table = BreakdownReport.table(result)
        for line in table.split(separator: "\n") { #expect(line.count <= 100, "\(line.count): \(line)") }
        #expect(table.contains("tail") && table.contains("total"))
        let narrow = BreakdownReport.table(result, width: 60)
        #expect(narrow.contains("other"))
    }

    @Test func replicationsCarryStageIntervals() throws {
        let json = SimulationReport.json(try Self.result(replications: 3)).rendered()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let flow = try #require(((document["groupings"] as? [[String: Any]])?[1]["flows"] as? [[String: Any]])?[0])
        let block = try #require((flow["replications"] as? [String: Any])?["breakdown"] as? [String: Any])
        let send = try #require((block["mean_ns"] as? [String: Any])?["send"] as? [String: Double])
        #expect(send["mean"]! > 0 && send["ci95"]! >= 0)
    }

    /// A flow that completes nothing in any replication (its first call falls after the run)
    /// has no breakdown block, as a single run's flow has none, and every format still reports it.
    @Test func aFlowThatNeverCompletesIsReportedInEveryFormat() throws {
        let text = Self.topology.replacingOccurrences(
            of: #""pattern": "oneway", "transport": "uds", "fallback": "tcp", "size": "1KiB", "interval": "200us""#,
            with: #""pattern": "oneway", "transport": "uds", "fallback": "tcp", "size": "1KiB", "interval": "10s""#)
        let topology = try TopologyReader.read(text, file: "pair.json")
        let profile = ProfileReader.builtIn("linux-default", overrides: [:])!
        let replicated = ReplicatedResult(
            Experiment.replicate(topology, groupings: [0, 1], profile: profile, seed: 5, replications: 3))
        let json = SimulationReport.json(replicated).rendered()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for grouping in try #require(document["groupings"] as? [[String: Any]]) {
            let flows = try #require(grouping["flows"] as? [[String: Any]])
            let blocks = try flows.map { try #require($0["replications"] as? [String: Any]) }
            #expect(blocks[0]["breakdown"] != nil)
            #expect(blocks[1]["breakdown"] == nil && blocks[1]["count"] as? Int == 3)
        }
        #expect(SimulationReport.csv(replicated).split(separator: "\n").count == 5)
        #expect(SimulationReport.table(replicated).contains("logs"))
        #expect(SimulationReport.markdown(replicated).contains("logs"))
        #expect(
            SimulationReport.html(
                replicated.replications[0], replicated: replicated,
                inputs: ReportInputs(command: "test", netlabVersion: "test", files: [])
            ).contains("logs"))
    }

    @Test func theHTMLDrawsStagesPerFlow() throws {
        let replicated = try Self.result()
        let page = SimulationReport.html(
            replicated.replications[0], inputs: ReportInputs(command: "test", netlabVersion: "test", files: []))
        #expect(page.components(separatedBy: "<svg class=\"chart bars stacked\"").count - 1 == 2)
        #expect(page.contains("waiting for a core") || page.contains("wake-ups"))
    }
}
