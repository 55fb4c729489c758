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

    /// The format asked for, or the default for where standard output goes.
    var resolvedFormat: OutputFormat {
        resolvedFormat(writingToFile: false)
    }

    /// The format asked for; by default a table on a terminal, JSON into files and pipes.
    func resolvedFormat(writingToFile: Bool) -> OutputFormat {
        format ?? (!writingToFile && isatty(STDOUT_FILENO) != 0 ? .table : .json)
    }
}

/// `--format` and `--output FILE`, for commands whose result may go to a file.
struct ReportOptions: ParsableArguments {
    @OptionGroup var format: OutputOptions

    @Option(name: .customLong("output"), help: "Write the result to this file instead of standard output.")
    var file: String?

    /// Renders the result in the chosen format (JSON by default into a file) and writes it out.
    func emit(table: () -> String, json: () -> String, csv: () -> String) throws {
        let text: String
        switch format.resolvedFormat(writingToFile: file != nil) {
        case .table: text = table()
        case .json: text = json()
        case .csv: text = csv()
        }
        try writeOutput(text, to: file)
    }
}
