import Testing

@testable import NetLabSpec

/// The byte writer behind every JSON report: whole integers at both ends of 64 bits, and a
/// document streamed in small pieces that reads exactly as the document rendered whole.
@Suite struct JSONWriterTests {
    @Test func integersPrintInFullAtBothEnds() {
        let document = JSONValue.array([
            .integer(0), .integer(-7), .integer(Int64.max), .integer(Int64.min), .number(-0.0), .number(-12),
            .number(2.5),
        ])
        #expect(
            document.rendered(indent: nil)
                == "[0,-7,9223372036854775807,-9223372036854775808,0,-12,2.5]")
    }

    @Test func smallPiecesJoinToTheWholeDocument() {
        let document = JSONValue.object([
            ("naïve 😀", .array((0..<200).map { .string("é\($0)\"q\"\n😀") })),
            ("n", .items(count: 50) { .number(Double($0) / 3) }),
        ])
        var pieces: [[UInt8]] = []
        document.writeUTF8(pieceSize: 16) { pieces.append($0) }
        #expect(pieces.count > 100)
        // Every piece ends between two characters, so each one decodes on its own.
        #expect(pieces.allSatisfy { String(validating: $0, as: UTF8.self) != nil })
        #expect(pieces.map { String(decoding: $0, as: UTF8.self) }.joined() == document.rendered())
        #expect(document.rendered().hasSuffix("}\n"))
    }
}
