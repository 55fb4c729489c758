import Testing

@testable import NetLabReport

/// `compare` decides on what it shows: with replications in both results, the means.
@Suite struct ResultComparisonTests {
    /// A result document with one flow: replication 1's p99 and, optionally, the mean over replications.
    static func result(p99: Int, meanP99: Double?) -> String {
        let replications =
            meanP99.map {
                #", "replications": { "count": 5, "latency_p50_ns": { "mean": 1000, "ci95": 1 }, "latency_p99_ns": { "mean": \#($0), "ci95": 1 }, "throughput_bps": { "mean": 1000, "ci95": 1 } }"#
            } ?? ""
        return #"""
            { "topology": "t", "groupings": [ { "name": "g", "flows": [ { "name": "f", "latency_ns": { "p50": 1000, "p99": \#(p99) },
              "throughput_bps": 1000, "lost_messages": 0\#(replications) } ] } ] }
            """#
    }

    @Test func replicatedResultsAreComparedOnTheirMeans() throws {
        // Replication 1 got better (2000 → 1900); the mean got 20% worse (2000 → 2400).
        let outcome = try ResultComparison.compare(
            baseline: Self.result(p99: 2000, meanP99: 2000), baselineFile: "a.json",
            current: Self.result(p99: 1900, meanP99: 2400), currentFile: "b.json", tolerance: 0.05)
        let regression = try #require(outcome.regressions.first)
        #expect(outcome.regressions.count == 1 && regression.metric == "latency_p99_ns")
        #expect(regression.current == 2400 && regression.isMean)
        #expect(regression.description.contains("(+20.0%)"), "\(regression.description)")
    }

    /// A change just past the tolerance is not printed as the tolerance itself.
    @Test func aChangeJustPastTheToleranceShowsItsDigits() throws {
        let outcome = try ResultComparison.compare(
            baseline: Self.result(p99: 100_000, meanP99: nil), baselineFile: "a.json",
            current: Self.result(p99: 105_040, meanP99: nil), currentFile: "b.json", tolerance: 0.05)
        let regression = try #require(outcome.regressions.first)
        #expect(regression.description.contains("(+5.04%)"), "\(regression.description)")
    }

    /// compare says whether the first-ranked grouping moved, and does not call a move within a
    /// tie a changed verdict.
    @Test func compareSaysWhetherTheVerdictMoved() throws {
        func ranked(_ first: String, _ call: String) -> String {
            Self.result(p99: 1000, meanP99: nil).replacingOccurrences(
                of: #"{ "topology": "t","#,
                with:
                    #"{ "topology": "t", "ranking": ["\#(first)", "other"], "verdict": "\#(first) leads", "verdict_call": "\#(call)","#
            )
        }
        func report(_ before: String, _ after: String) throws -> String {
            try ResultComparison.compare(
                baseline: before, baselineFile: "a.json", current: after, currentFile: "b.json", tolerance: 0.05
            ).report(tolerance: "5%")
        }
        #expect(
            try report(ranked("g", "leads"), ranked("g", "leads")).contains("verdict unchanged: g ranks first in both"))
        let changed = try report(ranked("g", "leads"), ranked("h", "leads"))
        #expect(changed.contains("verdict CHANGED: the baseline ranks g first, the current h"))
        #expect(changed.contains("current verdict: h leads"))
        #expect(try report(ranked("g", "tie"), ranked("h", "leads")).contains("within a tie (not a changed verdict)"))
        #expect(
            !(try report(Self.result(p99: 1000, meanP99: nil), Self.result(p99: 1000, meanP99: nil))).contains(
                "verdict"))
    }
}
