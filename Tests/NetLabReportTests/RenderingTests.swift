import Testing

@testable import NetLabReport

@Suite struct RenderingTests {
    @Test func jsonKeepsFieldOrderAndEscapes() {
        let document = JSONValue.object([
            ("b", .integer(2)), ("a", .string("q\"uote\n")), ("list", .array([.number(0.5), .null, .bool(true)])),
            ("empty", .object([])),
        ])
        #expect(document.rendered(indent: nil) == #"{"b":2,"a":"q\"uote\n","list":[0.5,null,true],"empty":{}}"#)
        #expect(document.rendered().hasPrefix("{\n  \"b\": 2,\n"))
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
    }
}
