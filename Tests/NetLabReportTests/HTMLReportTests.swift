import Foundation
import NetLabModel
import Testing

@testable import NetLabReport

/// The HTML report: self-contained, every user string escaped, one chart series per grouping.
@Suite struct HTMLReportTests {
    /// Names the topology reader would refuse reach a report through other inputs (file paths,
    /// traces, file text); the renderer must escape whatever it is given. A valid topology is run,
    /// then its names are replaced by hostile ones.
    static let topology = """
        { "name": "plain", "duration": "50ms", "profile": "ideal",
          "cluster": { "nodes": [ { "name": "n1" }, { "name": "n2" } ] },
          "containers": ["src", "dst"],
          "flows": [ { "name": "f", "from": "src", "to": "dst", "pattern": "oneway", "size": "100B", "interval": "1ms" } ],
          "groupings": [
            { "name": "g1", "pods": [ { "containers": ["src", "dst"], "node": "n1" } ] },
            { "name": "g2", "pods": [ { "containers": ["src"], "node": "n1" }, { "containers": ["dst"], "node": "n2" } ] } ] }
        """

    static func render() throws -> String {
        let topology = try TopologyReader.read(Self.topology, file: "plain.json")
        var result = Experiment.run(topology, groupings: [0, 1], profile: .ideal, seed: 1)
        result.topology = "<b>bold</b> & co"
        for index in result.groupings.indices {
            result.groupings[index].name = index == 0 ? "g<one>" : "g&two"
            result.groupings[index].flows[0].name = "f<i>"
            result.groupings[index].flows[0].from = "<script>alert(1)</script>"
            result.groupings[index].flows[0].to = "a&b\"c"
            result.groupings[index].nodes[1].name = "n'2'"
        }
        return SimulationReport.html(
            result,
            inputs: ReportInputs(
                command: "netlab simulate '<img src=x>.json'", netlabVersion: "test",
                files: [("<img src=x>.json", "{ \"a\": \"</pre><script>\" }")]))
    }

    @Test func everyUserStringIsEscaped() throws {
        let page = try Self.render()
        #expect(!page.contains("<script"), "a container name became markup")
        #expect(!page.contains("<b>bold"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("a&amp;b&quot;c"))
        #expect(page.contains("g&lt;one&gt;") && page.contains("g&amp;two") && page.contains("n&#39;2&#39;"))
    }

    @Test func pageIsSelfContainedWithASeriesPerGrouping() throws {
        let page = try Self.render()
        #expect(
            !page.contains("http://") && !page.contains("https://") && !page.contains("<script")
                && !page.contains("<link"))
        // One CDF per flow with a series per grouping; throughput bars; CPU and link bars with a series per grouping.
        #expect(page.components(separatedBy: "<svg class=\"chart cdf\"").count - 1 == 1)
        #expect(page.components(separatedBy: "<path class=\"series\"").count - 1 == 2)
        #expect(page.components(separatedBy: "<svg class=\"chart bars\"").count - 1 == 3)
        #expect(page.contains("<details><summary>&lt;img src=x&gt;.json</summary>"))
        #expect(!page.contains("<img"))
    }

    @Test func escapingCoversTheFiveCharacters() {
        #expect(HTMLPage.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }

    /// A cluster's page draws at most 100 flows: the one that misses its objective, then those
    /// whose p99 differs most between the groupings; it says so, and embeds the first 256 KiB of
    /// a large input.
    @Test func aClustersPageDrawsTheFlowsThatMatter() throws {
        let flows = (0..<150).map { index in
            // Flow 7 crosses to the other node in g2 only; it alone has an objective, which it misses.
            let (from, to) = index == 7 ? ("src", "dst") : ("src", "mid")
            let slo = index == 7 ? #", "slo": { "p99": "1ns" }"# : ""
            return
                #"{ "name": "f\#(index)", "from": "\#(from)", "to": "\#(to)", "pattern": "oneway", "size": "100B", "interval": "1ms"\#(slo) }"#
        }
        let text = """
            { "name": "wide", "duration": "20ms", "profile": "linux-default",
              "cluster": { "nodes": [ { "name": "n1" }, { "name": "n2" } ] },
              "containers": ["src", "mid", "dst"],
              "flows": [ \(flows.joined(separator: ",\n")) ],
              "groupings": [
                { "name": "g1", "pods": [ { "containers": ["src", "mid", "dst"], "node": "n1" } ] },
                { "name": "g2", "pods": [ { "containers": ["src", "mid"], "node": "n1" }, { "containers": ["dst"], "node": "n2" } ] } ] }
            """
        let topology = try TopologyReader.read(text, file: "wide.json")
        let result = Experiment.run(topology, groupings: [0, 1], profile: .linuxDefault, seed: 1)
        let large = String(repeating: "0123456789abcdef\n", count: 20_000)
        let page = SimulationReport.html(
            result,
            inputs: ReportInputs(
                command: "netlab simulate wide.json", netlabVersion: "test",
                files: [("wide.json", large)]))
        #expect(page.components(separatedBy: "<h3").count - 1 == SimulationReport.htmlFlowLimit)
        #expect(page.contains("This page draws 100 of the 150 flows"))
        #expect(page.contains("<h3>f7: src → dst</h3>"), "the flow that misses its objective is drawn")
        #expect(page.contains("wide.json (its first 262140 of 340000 bytes)"), "cut at the last line break")
        let (embedded, whole) = ReportInputs.embeddable(large)
        #expect(!whole && embedded.hasSuffix("\n") && large.hasPrefix(embedded))
    }
}
