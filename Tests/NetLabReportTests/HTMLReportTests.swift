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
}
