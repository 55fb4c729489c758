import ArgumentParser
import NetLabReport
import NetLabSpec

#if canImport(Glibc)
    import Glibc
#endif

/// Every format a report can be written in; each command accepts a subset (``ReportFormats``).
enum ReportFormat: String, CaseIterable {
    case table, json, csv, html, junit, markdown, jsonl

    /// The file name endings that ask for each format when `--format` is not given.
    static let endings: [(ending: String, format: ReportFormat)] = [
        (".html", .html), (".csv", .csv), (".json", .json), (".md", .markdown), (".xml", .junit), (".jsonl", .jsonl),
    ]
}

/// The formats one command writes: its `--format` help and the values it accepts list only these.
protocol ReportFormats: ExpressibleByArgument, CaseIterable, RawRepresentable<String>, Sendable {
    /// The `--format` help line.
    static var help: String { get }
    /// The format written into pipes and files when none is asked for or named (JSON unless a
    /// command says otherwise).
    static var fallback: ReportFormat { get }
    /// Whether an `--output` file's name chooses the format (false where `--output` is not the
    /// report, as in `calibrate`, whose `--output` is the fitted profile).
    static var namedByOutputFile: Bool { get }
}

extension ReportFormats {
    static var fallback: ReportFormat { .json }
    static var namedByOutputFile: Bool { true }
    var common: ReportFormat { ReportFormat(rawValue: rawValue)! }
    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
    static func writes(_ format: ReportFormat) -> Bool { allCases.contains { $0.rawValue == format.rawValue } }
    /// The file name endings that choose one of this command's formats.
    static var endings: [String] { ReportFormat.endings.filter { writes($0.format) }.map(\.ending) }

    /// How the format is chosen when `--format` is not given, for `--help`.
    static var defaultText: String {
        let unnamed = "table on a terminal and \(fallback.rawValue) otherwise"
        guard namedByOutputFile else { return "Default: \(unnamed)." }
        return "Default: from the --output file's name (\(endings.joined(separator: ", "))), else \(unnamed)."
    }
}

/// `netlab simulate`: every format.
enum SimulateFormat: String, ReportFormats {
    case table, json, csv, html, junit, markdown
    static let help =
        "Output format: table, json, csv, html (a self-contained page with charts), junit or markdown (for CI)."
}

/// `netlab replay`: no CI formats.
enum ReplayFormat: String, ReportFormats {
    case table, json, csv, html
    static let help = "Output format: table, json, csv or html (a self-contained page with charts)."
}

/// `advise`, `inspect` and the benchmarks: tables and data.
enum DataFormat: String, ReportFormats {
    case table, json, csv
    static let help = "Output format: table, json or csv."
}

/// `sweep` and `merge`: tidy rows, as CSV or JSON lines, or a summary table.
enum SweepFormat: String, ReportFormats {
    case table, csv, jsonl
    static let help = "Output format: table (worst p99 per point and grouping), csv or jsonl (tidy rows)."
    static let fallback = ReportFormat.csv
}

/// `--format`: the formats a command writes, and how one is chosen when none is asked for.
struct FormatOption<Format: ReportFormats>: ParsableArguments {
    @Option(help: ArgumentHelp(Format.help, discussion: Format.defaultText))
    var format: Format?

    /// The format asked for, else table on a terminal and the command's fallback elsewhere.
    var resolvedForStandardOutput: Format {
        format ?? Format(rawValue: (isatty(STDOUT_FILENO) != 0 ? ReportFormat.table : Format.fallback).rawValue)!
    }

    /// The format asked for, else the one the output file's name says (where a command's
    /// `--output` is its report), else table on a terminal and the command's fallback elsewhere.
    /// - Throws: ``InputError`` when the file's name says a format this command does not write
    ///   (`advise --output advice.html`): writing another format into it would mislead.
    func resolved(outputFile file: String?) throws -> ReportFormat {
        if let format { return format.common }
        guard Format.namedByOutputFile, let file else { return resolvedForStandardOutput.common }
        let name = file.lowercased()
        guard let (ending, format) = ReportFormat.endings.first(where: { name.hasSuffix($0.ending) }) else {
            return Format.fallback
        }
        guard Format.writes(format) else {
            throw InputError(
                source: "--output", location: nil,
                problem: "\(file) is named as \(format.rawValue) (\(ending)), which this command does not write",
                fix: "name it " + Format.endings.joined(separator: " or ") + ", or give --format (\(Format.names))")
        }
        return format
    }
}

/// `--format` and `--output FILE`, for commands whose result may go to a file.
struct ReportOptions<Format: ReportFormats>: ParsableArguments {
    @OptionGroup var formatOption: FormatOption<Format>

    @Option(
        name: .customLong("output"),
        help: ArgumentHelp("Write the result to this file instead of standard output.", valueName: "file"))
    var file: String?

    /// The format asked for, else the one the output file's name says, else table on a terminal
    /// and the command's fallback elsewhere (see ``FormatOption/resolved(outputFile:)``).
    func resolvedFormat() throws -> ReportFormat { try formatOption.resolved(outputFile: file) }

    /// Refuses an `--output` name that says a format the command does not write; a command calls
    /// this before its work, not after it.
    func checkFormat() throws { _ = try resolvedFormat() }

    /// Renders the result in the chosen format and writes it out; a command passes a renderer
    /// for each format it accepts. JSON streams out as it is written (a cluster's report runs to
    /// tens of megabytes).
    func emit(
        table: () -> String, json: (() -> JSONValue)? = nil, csv: (() -> String)? = nil,
        html: (() -> String)? = nil, junit: (() -> String)? = nil, markdown: (() -> String)? = nil,
        jsonLines: (() -> String)? = nil
    ) throws {
        let format = try resolvedFormat()
        if format == .json, let json {
            let document = json()
            try writeOutput(to: file) { output in document.writeUTF8 { output.write(utf8: $0) } }
            return
        }
        let text: String? =
            switch format {
            case .table: table()
            case .json: nil  // Without a JSON renderer.
            case .csv: csv?()
            case .html: html?()
            case .junit: junit?()
            case .markdown: markdown?()
            case .jsonl: jsonLines?()
            }
        guard let text else {
            throw InputError(
                source: "--format", location: nil, problem: "\(format.rawValue) is not written by this command",
                fix: "use \(Format.names)")
        }
        try writeOutput(text, to: file)
    }
}

/// The command line as typed, for a report's inputs section.
var commandLineText: String {
    CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ").replacingPrefix(
        CommandLine.arguments[0], with: "netlab")
}
