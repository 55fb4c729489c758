import Foundation
import Testing

/// `--format` and `--output` behave alike in every command: a file named for a format the
/// command writes gets that format, byte for byte what `--format` prints; a name saying a format
/// the command does not write is refused.
@Suite struct OutputFormatTests {
    static let trace = repositoryRoot.appendingPathComponent("Traces/pod-to-pod-http.pcap").path
    static let sweep = [
        "sweep", SimulateCommandTests.example, "--set", "flows[http].rate=1000/s,2000/s", "--duration", "150ms",
    ]

    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("netlab-format-\(getpid())-\(name)").path
    }

    @Test(arguments: [
        (["inspect", trace], "csv", "conversations.csv"), (["inspect", trace], "json", "summary.json"),
        (sweep, "jsonl", "rows.jsonl"), (sweep, "csv", "rows.csv"),
    ])
    func theFileNameChoosesTheFormat(command: [String], format: String, name: String) throws {
        let printed = try NetlabBinary.run(command + ["--format", format])
        #expect(printed.status == 0, "\(printed.standardError)")
        let file = Self.temporaryFile(name)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let written = try NetlabBinary.run(command + ["--output", file])
        #expect(written.status == 0, "\(written.standardError)")
        #expect(written.standardOutput.isEmpty)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == printed.standardOutput)
    }

    @Test(arguments: [
        (["inspect", trace], "report.html", "name it .csv or .json, or give --format (table, json, csv)"),
        (sweep, "rows.json", "name it .csv or .jsonl, or give --format (table, csv, jsonl)"),
    ])
    func aNameForAnotherFormatIsRefused(command: [String], name: String, fix: String) throws {
        let file = Self.temporaryFile(name)
        let result = try NetlabBinary.run(command + ["--output", file])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("netlab: --output: \(file) is named as "), "\(result.standardError)")
        #expect(result.standardError.hasSuffix("; \(fix)\n"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    /// A shard's file and the Kubernetes Job have forms of their own: `--format` is refused with
    /// them rather than ignored.
    @Test func aShardOrAJobTakesNoFormat() throws {
        for extra in [["--shard", "0/2"], ["--emit", "kubernetes-job"]] {
            let result = try NetlabBinary.run(Self.sweep + extra + ["--format", "csv"])
            #expect(result.status == 2)
            #expect(result.standardError.hasPrefix("netlab: --format: "), "\(result.standardError)")
        }
    }

    /// Into a pipe, without `--format`: JSON, except a sweep's tidy rows, which are CSV.
    @Test func pipesGetJSONOrASweepsCSV() throws {
        let inspect = try NetlabBinary.run(["inspect", Self.trace])
        #expect(inspect.standardOutput.hasPrefix("{"))
        let sweep = try NetlabBinary.run(Self.sweep)
        #expect(sweep.standardOutput.hasPrefix("point,"), "\(sweep.standardOutput.prefix(80))")
    }
}
