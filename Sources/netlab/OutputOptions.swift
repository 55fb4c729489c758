import ArgumentParser

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

/// How a report is written: the output formats plus a self-contained HTML page.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, html, junit, markdown
}

/// `--format` and `--output FILE`, for commands whose result may go to a file.
struct ReportOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Output format: table, json, csv, html (a self-contained page with charts), junit or markdown (for CI; simulate only).",
            discussion:
                "Default: from the --output file's extension (.html, .csv, .json), else table on a terminal and json otherwise."
        ))
    var format: ReportFormat?

    @Option(name: .customLong("output"), help: "Write the result to this file instead of standard output.")
    var file: String?

    /// The format asked for, else the one the output file's name says, else table on a terminal
    /// and JSON elsewhere.
    var resolvedFormat: ReportFormat {
        if let format { return format }
        if let file {
            for candidate in [ReportFormat.html, .csv, .json]
            where file.lowercased().hasSuffix(".\(candidate.rawValue)") { return candidate }
            if file.lowercased().hasSuffix(".md") { return .markdown }
            if file.lowercased().hasSuffix(".xml") { return .junit }
            return .json
        }
        return isatty(STDOUT_FILENO) != 0 ? .table : .json
    }

    /// Renders the result in the chosen format and writes it out.
    func emit(
        table: () -> String, json: () -> String, csv: () -> String, html: () -> String,
        junit: (() -> String)? = nil, markdown: (() -> String)? = nil
    ) throws {
        let text: String
        switch resolvedFormat {
        case .table: text = table()
        case .json: text = json()
        case .csv: text = csv()
        case .html: text = html()
        case .junit, .markdown:
            guard let render = resolvedFormat == .junit ? junit : markdown else {
                throw InputError(
                    source: "--format", location: nil,
                    problem: "\(resolvedFormat.rawValue) is available for simulate only",
                    fix: "use table, json, csv or html")
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
