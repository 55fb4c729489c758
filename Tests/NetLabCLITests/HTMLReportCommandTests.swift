import Foundation
import Testing

/// Each bundled example's HTML report, opened in headless Chromium: it loads without console
/// errors, every chart is there with a series per grouping, and a screenshot is kept in
/// `.build/report-screenshots/` (not committed) for a person to look at.
@Suite(.serialized) struct HTMLReportCommandTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let screenshots = repositoryRoot.appendingPathComponent(".build/report-screenshots")

    /// Opens `page` in headless Chromium: its DOM and what Chromium logged.
    static func open(_ page: URL, screenshot name: String) throws -> (dom: String, log: String) {
        func chromium(_ arguments: [String]) throws -> (String, String) {
            let result = try runProgram(
                URL(fileURLWithPath: Self.chromium!),
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr",
                    "--v=0",
                ]
                    + arguments + [page.absoluteString])
            return (result.standardOutput, result.standardError)
        }
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let (dom, log) = try chromium(["--dump-dom"])
        _ = try chromium([
            "--window-size=1280,2400", "--screenshot=\(screenshots.appendingPathComponent(name + ".png").path)",
        ])
        return (dom, log)
    }

    /// Console messages and page errors Chromium reported for the page.
    static func consoleErrors(_ log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
    }

    /// The series of each chart of `kind` (cdf, bars, scatter) in the page, in order.
    static func seriesPerChart(_ dom: String, kind: String) -> [Int] {
        dom.components(separatedBy: "<svg class=\"chart \(kind)\"").dropFirst().map { chart in
            let body = chart.components(separatedBy: "</svg>")[0]
            return body.components(separatedBy: "class=\"series\"").count - 1
        }
    }

    static func write(_ arguments: [String], to name: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-\(name)-\(getpid()).html")
        let result = try NetlabBinary.runFastest(arguments + ["--output", file.path])
        #expect(result.status == 0, "\(result.standardError)")
        return file
    }

    @Test(
        .enabled(if: chromium != nil, "Chromium is not installed (apt-get install chromium)"),
        arguments: [
            "web-log-sidecar.json", "web-log-sidecar.yaml", "frontend-backend-cache.json", "service-mesh.json",
            "bulk-stream.json",
        ])
    func simulateReportOpensWithEveryChart(example: String) throws {
        let path = repositoryRoot.appendingPathComponent("Examples/\(example)").path
        let json = try NetlabBinary.runFastest(["simulate", path, "--duration", "300ms", "--format", "json"])
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let groupings = try #require(root["groupings"] as? [[String: Any]])
        let flows = try #require(groupings.first?["flows"] as? [Any]).count
        let page = try Self.write(["simulate", path, "--duration", "300ms"], to: example)
        defer { try? FileManager.default.removeItem(at: page) }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: page.path)[.size] as? Int)
        #expect(size < 500_000, "\(size) bytes")
        let (dom, log) = try Self.open(page, screenshot: "simulate-\(example)")
        #expect(dom.contains("</html>"), "Chromium did not load the page: \(log.suffix(300))")
        #expect(Self.consoleErrors(log).isEmpty, "\(Self.consoleErrors(log))")
        let series = Self.seriesPerChart(dom, kind: "cdf")
        #expect(
            series.count == flows && series.allSatisfy { $0 == groupings.count },
            "CDF series \(series), \(groupings.count) groupings")
        // Per flow throughput (one series) and, where anything was dropped, drops (two series);
        // then CPU and links (a series per grouping).
        var expected: [Int] = []
        for index in 0..<flows {
            expected.append(1)
            let dropped = groupings.contains { grouping in
                let flow = (grouping["flows"] as? [[String: Any]])?[index]
                return (flow?["dropped"] as? Int ?? 0) + (flow?["lost_messages"] as? Int ?? 0) > 0
            }
            if dropped { expected.append(2) }
        }
        #expect(Self.seriesPerChart(dom, kind: "bars") == expected + [groupings.count, groupings.count])
    }

    @Test(.enabled(if: chromium != nil, "Chromium is not installed (apt-get install chromium)"))
    func replayReportShowsTheCaptureBesideTheGroupings() throws {
        let trace = repositoryRoot.appendingPathComponent("Traces/pod-to-pod-http.pcap").path
        let map = repositoryRoot.appendingPathComponent("Traces/pod-to-pod-http.map.json").path
        let topology = repositoryRoot.appendingPathComponent("Examples/replay-pairs.json").path
        let page = try Self.write(
            ["replay", trace, "--map", map, "--topology", topology, "--mode", "causal", "--format", "html"],
            to: "replay")
        defer { try? FileManager.default.removeItem(at: page) }
        let (dom, log) = try Self.open(page, screenshot: "replay-pod-to-pod-http")
        #expect(Self.consoleErrors(log).isEmpty, "\(Self.consoleErrors(log))")
        // Three groupings and the captured request→reply times, in at least one chart.
        let series = Self.seriesPerChart(dom, kind: "cdf")
        #expect(!series.isEmpty && series.allSatisfy { $0 == 4 }, "\(series)")
        #expect(dom.contains(">captured<"))
    }

    @Test(.enabled(if: chromium != nil, "Chromium is not installed (apt-get install chromium)"))
    func calibrateReportPlotsMeasuredAgainstPredicted() throws {
        let measurements = FileManager.default.temporaryDirectory.appendingPathComponent(
            "netlab-measurements-\(getpid()).json")
        try """
        { "base": "linux-default", "overrides": {}, "cases": [
          { "kind": "round-trip", "path": "in-pod", "transport": "pipe", "size": 64, "placement": "same-core", "wait": "block", "repetitions": [3.1, 3.0, 3.2] },
          { "kind": "round-trip", "path": "in-pod", "transport": "pipe", "size": 1024, "placement": "two-cores", "wait": "block", "repetitions": [50, 52, 49] },
          { "kind": "bulk", "path": "in-pod", "transport": "tcp", "size": 65536, "placement": "two-cores", "wait": "block", "repetitions": [9e9, 1e10, 1.1e10] } ] }
        """.write(to: measurements, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: measurements) }
        let result = try NetlabBinary.run([
            "calibrate", "--measurements", measurements.path, "--check", "linux-default", "--format", "html",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let page = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-calibrate-\(getpid()).html")
        try result.standardOutput.write(to: page, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: page) }
        let (dom, log) = try Self.open(page, screenshot: "calibrate")
        #expect(Self.consoleErrors(log).isEmpty, "\(Self.consoleErrors(log))")
        #expect(
            Self.seriesPerChart(dom, kind: "scatter") == [2, 2], "training and held-out, for round trips and streams")
    }
}
