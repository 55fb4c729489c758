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
