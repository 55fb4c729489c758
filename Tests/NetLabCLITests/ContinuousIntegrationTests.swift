import Foundation
import Testing

/// The CI flow of docs/ci.md, end to end: simulate with replications, require objectives, compare
/// with a baseline; a clean change passes, planted regressions fail with status 1, bad input 2.
@Suite struct ContinuousIntegrationTests {
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-ci-\(getpid())")

    static func topology(contextSwitch: String, p99: String) -> String {
        """
        { "name": "ci", "duration": "200ms", "warmup": "20ms", "seed": 3,
          "profile": { "base": "linux-default", "overrides": { "context_switch": "\(contextSwitch)" } },
          "cluster": { "nodes": [ { "name": "a" } ] },
          "containers": ["web", "log"],
          "flows": [ { "name": "logs", "from": "web", "to": "log", "pattern": "rpc", "transport": "uds", "request": "300B", "response": "64B",
                       "rate": "2000/s", "slo": { "p99": "\(p99)" } } ],
          "groupings": [ { "name": "sidecar", "pods": [ { "containers": ["web", "log"], "node": "a" } ] } ] }
        """
    }

    /// Writes `topology` and simulates it as the workflow does; the result file's path and the status.
    static func simulate(_ name: String, _ topology: String) throws -> (String, CommandResult) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let input = directory.appendingPathComponent("\(name)-topology.json").path,
            output = directory.appendingPathComponent("\(name).json").path
        try topology.write(toFile: input, atomically: true, encoding: .utf8)
        let result = try NetlabBinary.run([
            "simulate", input, "--replications", "5", "--require", "best", "--format", "json", "--output", output,
        ])
        return (output, result)
    }

    @Test func cleanChangePassesAndPlantedRegressionsFail() throws {
        defer { try? FileManager.default.removeItem(at: Self.directory) }
        let (baseline, first) = try Self.simulate("baseline", Self.topology(contextSwitch: "1.5us", p99: "1ms"))
        #expect(first.status == 0, "\(first.standardError)")
        let (same, clean) = try Self.simulate("clean", Self.topology(contextSwitch: "1.5us", p99: "1ms"))
        #expect(clean.status == 0)
        let unchanged = try NetlabBinary.run(["compare", baseline, same, "--tolerance", "5%"])
        #expect(unchanged.status == 0, "\(unchanged.standardOutput)")
        #expect(unchanged.standardOutput.hasPrefix("no regression"))

        // A slower host: every wake-up (here on the waker's core: a context switch) costs 40 µs.
        let (slower, slow) = try Self.simulate("slower", Self.topology(contextSwitch: "40us", p99: "1ms"))
        #expect(slow.status == 0, "the objective still holds")
        let regressed = try NetlabBinary.run(["compare", baseline, slower, "--tolerance", "5%"])
        #expect(regressed.status == 1)
        #expect(
            regressed.standardOutput.contains("regression: sidecar/logs: latency_p50_ns"), "\(regressed.standardOutput)"
        )

        // An objective the grouping cannot meet.
        let (_, missed) = try Self.simulate("missed", Self.topology(contextSwitch: "1.5us", p99: "5us"))
        #expect(missed.status == 1)
        #expect(missed.standardError.contains("SLO missed: grouping sidecar: flow logs: p99"))

        // Results of another topology cannot be compared.
        let other = Self.topology(contextSwitch: "1.5us", p99: "1ms").replacingOccurrences(
            of: #""name": "ci""#, with: #""name": "other""#)
        let (otherResult, _) = try Self.simulate("other", other)
        let mismatched = try NetlabBinary.run(["compare", baseline, otherResult])
        #expect(mismatched.status == 2)
        #expect(
            mismatched.standardError.contains("is of topology \"other\", the baseline of \"ci\""),
            "\(mismatched.standardError)")
        let badTolerance = try NetlabBinary.run(["compare", baseline, same, "--tolerance", "five"])
        #expect(badTolerance.status == 2 && badTolerance.standardError.contains("--tolerance"))
    }
}
