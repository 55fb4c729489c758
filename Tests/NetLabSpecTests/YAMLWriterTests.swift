import Testing
import Yams

@testable import NetLabSpec

/// The one YAML writer: what it writes reads back as the tree it was given, by a YAML 1.1 reader
/// too, and text of several lines stays readable.
struct YAMLWriterTests {
    /// Words and numbers that YAML 1.1 readers take for booleans, nulls or numbers are quoted;
    /// plain names are not.
    @Test func stringsThatReadAsSomethingElseAreQuoted() {
        #expect(!SpecTree.isPlainSafe("1_000") && !SpecTree.isPlainSafe(".inf") && !SpecTree.isPlainSafe("0b101"))
        #expect(!SpecTree.isPlainSafe("Yes") && !SpecTree.isPlainSafe("off") && !SpecTree.isPlainSafe("web½"))
        #expect(SpecTree.isPlainSafe("frontend") && SpecTree.isPlainSafe("app.kubernetes.io/name"))
    }

    /// A file's text is written as a literal block and reads back exactly, with or without its
    /// final newline; a one-line string that needs quotes reads back too.
    @Test func textOfSeveralLinesIsALiteralBlockThatReadsBackExactly() throws {
        for text in ["{\n  \"name\": \"a\"\n}\n", "line one\nline two", "yes\n  indented: 1\n"] {
            let tree = SpecTree.object([
                ("file", SpecTree.string(text)), ("word", SpecTree.string("off")), ("count", SpecTree.integer(3)),
            ])
            let yaml = try SpecTree.yaml(tree)
            #expect(yaml.contains("file: |"), "\(yaml)")
            let read = try #require(try Yams.load(yaml: yaml) as? [String: Any])
            #expect(read["file"] as? String == text)
            #expect(read["word"] as? String == "off")
            #expect(read["count"] as? Int == 3)
        }
    }
}
