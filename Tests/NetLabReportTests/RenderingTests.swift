import NetLabModel
import NetLabSpec
import Testing

@testable import NetLabReport

@Suite struct RenderingTests {
    /// A calibrated profile file names its congestion control and wake-up transports, as a person
    /// writes them (and the reader reads them), not as their numbers.
    @Test func profileFilesWriteChoicesByName() {
        let record = CalibrationRecord(provenance: nil, measurements: [])
        let overrides = [
            "congestion_control": CongestionControl.bbr.number,
            "affine_wakeups": Double((1 << Transport.pipe.bit) | (1 << Transport.udsDatagram.bit)),
            "wakeup": 20_000_000,
        ]
        let text = CalibrationReport.profileFile(record, base: "linux-default", overrides: overrides).rendered()
        #expect(text.contains(#""congestion_control": "bbr""#), "\(text)")
        #expect(text.contains(#""affine_wakeups": "uds-dgram, pipe""#), "\(text)")
        #expect(text.contains(#""wakeup": "20000000ps""#), "\(text)")
    }

    @Test func jsonKeepsFieldOrderAndEscapes() {
        let document = JSONValue.object([
            ("b", .integer(2)), ("a", .string("q\"uote\n")), ("list", .array([.number(0.5), .null, .bool(true)])),
            ("empty", .object([])),
        ])
        #expect(document.rendered(indent: nil) == #"{"b":2,"a":"q\"uote\n","list":[0.5,null,true],"empty":{}}"#)
        #expect(document.rendered().hasPrefix("{\n  \"b\": 2,\n"))
    }

    /// Pretty output indents two spaces a level however deep (past the writer's 64-space run) and
    /// ends with one newline.
    @Test func jsonIndentsEveryLevel() {
        var document = JSONValue.array([.integer(7)])
        for _ in 0..<40 { document = .object([("k", document)]) }
        let lines = document.rendered().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 * 41 + 2)
        #expect(lines[41] == Substring(String(repeating: " ", count: 82) + "7"))
        #expect(lines[40] == Substring(String(repeating: " ", count: 80) + "\"k\": ["))
        #expect(lines.last == "")
    }

    /// An array made item by item as it is written reads exactly as one built whole, and makes
    /// each item once.
    @Test func jsonItemsWriteAsAnArray() {
        let made = Counter()
        let lazy = JSONValue.object([
            (
                "flows",
                .items(count: 3) {
                    made.add(); return .object([("n", .integer(Int64($0)))])
                }
            ),
            ("none", .items(count: 0) { _ in .null }),
        ])
        let whole = JSONValue.object([
            ("flows", .array((0..<3).map { .object([("n", .integer(Int64($0)))]) })), ("none", .array([])),
        ])
        #expect(lazy.rendered() == whole.rendered())
        #expect(lazy.rendered(indent: nil) == whole.rendered(indent: nil))
        #expect(made.value == 6)
    }

    final class Counter: @unchecked Sendable {
        private(set) var value = 0
        func add() { value += 1 }
    }

    @Test func jsonNumbersAreStableAndFinite() {
        #expect(JSONValue.number(3).rendered(indent: nil) == "3")
        #expect(JSONValue.number(.nan).rendered(indent: nil) == "null")
        #expect(JSONValue.number(1.25e-7).rendered(indent: nil) == "1.25e-07")
    }

    @Test func tableColumnsAlign() {
        var table = TextTable(columns: [.init("name"), .init("value", alignment: .right)])
        table.append(["alpha", "1"])
        table.append(["b", "12345"])
        #expect(table.rendered() == "name   value\n-----  -----\nalpha      1\nb      12345\n")
    }

    @Test func csvQuotesWhereNeeded() {
        var csv = CSVTable(header: ["a", "b"])
        csv.append(["plain", "with, comma"])
        csv.append(["say \"hi\"", ""])
        #expect(csv.rendered() == "a,b\nplain,\"with, comma\"\n\"say \"\"hi\"\"\",\n")
        // A line break of two bytes is one Character; it is quoted all the same.
        var broken = CSVTable(header: ["a"])
        broken.append(["two\r\nlines"])
        #expect(broken.rendered() == "a\n\"two\r\nlines\"\n")
    }

    /// Long names are cut to a numbered prefix with a legend; short ones are kept.
    @Test func longNamesAreCutAndListedInFull() {
        let names = ShortNames(["sidecar-in-pod", "merge-productcatalogservice-recommendationservice"], limit: 18)
        #expect(names.labels == ["sidecar-in-pod", "merge-productcat…2"])
        #expect(names.labels.allSatisfy { $0.count <= 18 })
        #expect(names.label(of: "merge-productcatalogservice-recommendationservice") == "merge-productcat…2")
        #expect(
            names.legendText(title: "groupings in full")
                == "groupings in full:\nmerge-productcat…2 = merge-productcatalogservice-recommendationservice\n")
        #expect(ShortNames(["a", "b"], limit: 18).legendText(title: "x").isEmpty)
    }

    /// Wrapping keeps every line within the width, a word longer than a line included.
    @Test func wrappingKeepsEveryLineWithinTheWidth() {
        let text = "verdict: " + String(repeating: "x", count: 250) + " tail words that follow it"
        let lines = SimulationReport.wrap(text, width: 100).split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(lines.joined().filter { $0 == "x" }.count == 250)
        #expect(lines.last?.hasSuffix("tail words that follow it") == true)
        #expect(SimulationReport.wrap("a b c", width: 100) == "a b c")
    }

    /// A matrix too wide for the terminal turns into one line per row and column.
    @Test func gridsTurnLongWhenTooWide() {
        let narrow = TextTable.grid(
            corner: "node CPU", rowNames: ["a"], columnTitle: "grouping", columnNames: ["g1", "g2"], valueTitle: "busy",
            cells: [["1%", "2%"]])
        #expect(narrow.hasPrefix("node CPU  g1  g2\n"))
        let columns = (1...12).map { "grouping-number-\($0)" }
        let long = TextTable.grid(
            corner: "node CPU", rowNames: ["a", "b"], columnTitle: "grouping", columnNames: columns, valueTitle: "busy",
            cells: [columns.map { _ in "1%" }, columns.map { _ in "2%" }])
        #expect(long.hasPrefix("node CPU  grouping            busy\n"))
        #expect(long.split(separator: "\n").count == 2 + 24)
        #expect(long.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }
}
