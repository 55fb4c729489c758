import Foundation

/// Runs the built `netlab` binary, as a user would, and captures what it prints.
struct CommandResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

enum NetlabBinary {
    /// The `netlab` executable next to the test bundle in the build folder.
    static var url: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("netlab")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        fatalError("netlab binary not found near \(Bundle.main.bundleURL.path); run `swift build` first")
    }

    static func run(_ arguments: [String]) throws -> CommandResult {
        try runProgram(url, arguments)
    }

    /// Runs ``fastest``: for end-to-end runs whose simulations take minutes in a debug build.
    static func runFastest(_ arguments: [String]) throws -> CommandResult {
        try runProgram(fastest, arguments)
    }

    /// The release `netlab` beside the debug one when it is newer than every source file (so
    /// built from the sources under test, as CI builds it before the tests), else the debug one:
    /// for end-to-end runs whose simulations take many minutes in a debug build (a calibration's
    /// fit).
    static var fastest: URL {
        let release = url.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("release/netlab")
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources").standardized
        func modified(_ file: URL) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
        }
        guard FileManager.default.isExecutableFile(atPath: release.path), let built = modified(release),
            let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        else { return url }
        for case let file as URL in files where (modified(file) ?? .distantFuture) > built { return url }
        return release
    }
}

/// Runs `executable` with `arguments` to its end and captures what it prints.
func runProgram(_ executable: URL, _ arguments: [String]) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: outputData, as: UTF8.self),
        standardError: String(decoding: errorData, as: UTF8.self))
}
