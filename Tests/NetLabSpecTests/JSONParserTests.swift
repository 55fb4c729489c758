import Testing

@testable import NetLabSpec

/// The strict JSON parser behind every file netlab reads: escapes, surrogates, numbers, nesting,
/// and where it says a value stands.
@Suite struct JSONParserTests {
    static func string(_ json: String) throws -> String? {
        guard case .string(let text) = try JSONParser.parse(json).value else { return nil }
        return text
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        #expect(try Self.string(#""a\"b\\c\/d\b\f\n\r\t""#) == "a\"b\\c/d\u{8}\u{C}\n\r\t")
        #expect(try Self.string(#""\u00e9\u4e2d""#) == "é中")
        #expect(try Self.string(#""\ud83d\ude00""#) == "😀")
        #expect(try Self.string(#""plain 😀 é""#) == "plain 😀 é")
    }

    @Test(arguments: [
        (#""\ud83d""#, "unpaired surrogate"), (#""\ud83d\u0041""#, "invalid surrogate pair"),
        (#""\ude00""#, "\\u"), (#""\u12""#, "\\u"), (#""\x""#, ""), ("\"a\u{1}b\"", ""), (#""open"#, ""),
    ])
    func badStringsAreRefused(json: String, mention: String) {
        do {
            _ = try JSONParser.parse(json)
            Issue.record("accepted \(json)")
        } catch { #expect(mention.isEmpty || error.message.contains(mention), "\(error.message)") }
    }

    @Test func numbersStayAsWritten() throws {
        for text in ["0", "-0", "12", "-3.25", "1e3", "1E-7", "6.02e+23", "123456789012345678901234567890"] {
            guard case .number(let kept) = try JSONParser.parse(text).value else {
                Issue.record("\(text) is not a number")
                continue
            }
            #expect(kept == text)
        }
        for bad in ["01", "1.", ".5", "+1", "1e", "--1", "0x10", "NaN", "Infinity"] {
            #expect(throws: JSONSyntaxError.self, "\(bad)") { _ = try JSONParser.parse(bad) }
        }
    }

    @Test func nestingIsBoundedNotACrash() throws {
        let deep = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        _ = try JSONParser.parse(deep)
        let tooDeep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try JSONParser.parse(tooDeep)
            Issue.record("accepted 100000 levels")
        } catch { #expect(error.message.contains("nesting deeper than 256 levels")) }
    }

    @Test func valuesKnowTheirLineAndColumn() throws {
        let root = try JSONParser.parse("{\n  \"a\": [1,\n    \"x\"]\n}")
        guard case .object(let members) = root.value, case .array(let items) = members[0].value.value else {
            Issue.record("not an object with an array")
            return
        }
        #expect((members[0].value.line, members[0].value.column) == (2, 8))
        #expect((items[1].line, items[1].column) == (3, 5))
        #expect(throws: JSONSyntaxError.self) { _ = try JSONParser.parse(#"{"a": 1, "a": 2}"#) }
    }
}
