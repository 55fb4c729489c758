import Foundation
import Testing

/// Every command's `--help`, held as checked-in text (Golden/help/), so that a change to what
/// the help teaches shows in review; and within 80 columns, where a terminal shows it unwrapped.
/// After a deliberate change, regenerate with `NETLAB_UPDATE_GOLDEN=1 swift test --filter Help`.
@Suite struct HelpSnapshotTests {
    static let folder = repositoryRoot.appendingPathComponent("Tests/NetLabCLITests/Golden/help")

    /// Every command and subcommand, found by following each help's SUBCOMMANDS section from the root.
    static func commandPaths() throws -> [[String]] {
        var found: [[String]] = []
        var pending: [[String]] = [[]]
        while let path = pending.popLast() {
            found.append(path)
            let help = try NetlabBinary.run(path + ["--help"]).standardOutput
            guard let section = help.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first else { continue }
            for line in section.split(separator: "\n") {
                guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.contains("See '") else { continue }
                let name = line.split(separator: " ").first.map(String.init) ?? ""
                if !name.isEmpty { pending.append(path + [name]) }
            }
        }
        return found.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
    }

    @Test func everyCommandsHelpMatchesItsSnapshot() throws {
        let paths = try Self.commandPaths()
        #expect(paths.count >= 12, "\(paths)")  // the root, ten commands, and their subcommands
        let update = ProcessInfo.processInfo.environment["NETLAB_UPDATE_GOLDEN"] == "1"
        if update { try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true) }
        for path in paths {
            let result = try NetlabBinary.run(path + ["--help"])
            #expect(result.status == 0, "\(path): \(result.standardError)")
            let file = Self.folder.appendingPathComponent((["netlab"] + path).joined(separator: "-") + ".txt")
            if update { try result.standardOutput.write(to: file, atomically: true, encoding: .utf8) }
            let expected = try? String(contentsOf: file, encoding: .utf8)
            #expect(
                result.standardOutput == expected,
                "netlab \(path.joined(separator: " ")) --help differs from \(file.lastPathComponent)")
            // The usage line lists every option and is not wrapped by the parser.
            for line in result.standardOutput.split(separator: "\n") where !line.hasPrefix("USAGE:") {
                #expect(line.count <= 80, "netlab \(path.joined(separator: " ")) --help: \(line)")
            }
        }
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        #expect(snapshots.count == paths.count, "a snapshot without a command: \(snapshots.sorted())")
    }
}
