import ArgumentParser
import NetLabReport
import NetLabSpec

#if canImport(Glibc)
    import Glibc
#endif

/// How results are printed: a table for people, JSON or CSV for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// `--format`, shared by every command that prints results.
struct OutputOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Output format: table, json or csv.",
            discussion: "Default: table when standard output is a terminal, json otherwise."))
    var format: OutputFormat?

    /// The format asked for; by default a table on a terminal, JSON into files and pipes.
    var resolvedFormat: OutputFormat {
        format ?? (isatty(STDOUT_FILENO) != 0 ? .table : .json)
    }
}

/// Every format a report can be written in; each command accepts a subset (``ReportFormats``).
enum ReportFormat: String, CaseIterable {
    case table, json, csv, html, junit, markdown
}

/// The formats one command writes: its `--format` help and the values it accepts list only these.
protocol ReportFormats: ExpressibleByArgument, CaseIterable, RawRepresentable<String>, Sendable {
    /// The `--format` help line.
    static var help: String { get }
}

extension ReportFormats {
    var common: ReportFormat { ReportFormat(rawValue: rawValue)! }
    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
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

/// `netlab advise`: tables and data.
enum AdviceFormat: String, ReportFormats {
    case table, json, csv
    static let help = "Output format: table, json or csv."
}

/// `--format` and `--output FILE`, for commands whose result may go to a file.
struct ReportOptions<Format: ReportFormats>: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            Format.help,
            discussion:
                "Default: from the --output file's extension (.html, .csv, .json, .md, .xml) where the command writes that format, else table on a terminal and json otherwise."
        ))
    var format: Format?

    @Option(name: .customLong("output"), help: "Write the result to this file instead of standard output.")
    var file: String?

    /// The format asked for, else the one the output file's name says, else table on a terminal
    /// and JSON elsewhere.
    /// - Throws: ``InputError`` when the file's name says a format this command does not write
    ///   (`advise --output advice.html`): writing JSON into it would mislead.
    func resolvedFormat() throws -> ReportFormat {
        if let format { return format.common }
        guard let file else { return isatty(STDOUT_FILENO) != 0 ? .table : .json }
        let name = file.lowercased()
        let named: [(String, ReportFormat)] = [
            (".html", .html), (".csv", .csv), (".json", .json), (".md", .markdown), (".xml", .junit),
        ]
        guard let (suffix, format) = named.first(where: { name.hasSuffix($0.0) }) else { return .json }
        guard Format.allCases.contains(where: { $0.rawValue == format.rawValue }) else {
            throw InputError(
                source: "--output", location: nil,
                problem: "\(file) is named as \(format.rawValue) (\(suffix)), which this command does not write",
                fix:
                    "name it "
                    + named.filter { entry in Format.allCases.contains { $0.rawValue == entry.1.rawValue } }.map(\.0)
                    .joined(separator: " or ") + ", or give --format (\(Format.names))")
        }
        return format
    }

    /// Renders the result in the chosen format and writes it out; a command passes a renderer
    /// for each format it accepts. JSON streams out as it is written (a cluster's report runs to
    /// tens of megabytes).
    func emit(
        table: () -> String, json: () -> JSONValue, csv: () -> String, html: (() -> String)? = nil,
        junit: (() -> String)? = nil, markdown: (() -> String)? = nil
    ) throws {
        let text: String
        let format = try resolvedFormat()
        switch format {
        case .table: text = table()
        case .json:
            let document = json()
            try writeOutput(to: file) { document.write(to: &$0) }
            return
        case .csv: text = csv()
        case .html, .junit, .markdown:
            let render = [ReportFormat.html: html, .junit: junit, .markdown: markdown][format] ?? nil
            guard let render else {
                throw InputError(
                    source: "--format", location: nil, problem: "\(format.rawValue) is not written by this command",
                    fix: "use \(Format.names)")
            }
            text = render()
        }
        try writeOutput(text, to: file)
    }
}

/// The command line as typed, for a report's inputs section.
var commandLineText: String {
    CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ").replacingPrefix(
        CommandLine.arguments[0], with: "netlab")
}
