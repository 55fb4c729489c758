import ArgumentParser
import Foundation
import NetLabCore
import NetLabModel

// What the commands that read a topology share: the file read and checked, the profile and the
// groupings asked for on the command line.

/// The indices of the groupings named on the command line (all of them if none is named).
func groupingIndices(_ names: [String], in spec: Topology, topologyPath: String) throws -> [Int] {
    do { return try spec.groupingIndices(named: names) } catch {
        throw InputError(
            source: "--grouping", location: nil, problem: "no grouping \"\(error.name)\" in \(topologyPath)",
            fix: "use one of \(error.choices.joined(separator: ", "))")
    }
}

/// The topology in `path` and its text, the run length replaced by `duration` (from
/// `--duration`) if given.
func loadTopology(_ path: String, duration: String?, requireGroupings: Bool = true) throws -> (
    Topology, text: String
) {
    let text = try readInput(path)
    var spec: Topology
    spec = try TopologyReader.read(text, file: path, requireGroupings: requireGroupings)
    if let duration {
        let value: SimDuration
        do { value = try SimDuration(parsing: duration) } catch {
            throw InputError(
                source: "--duration", location: nil, problem: "\"\(duration)\" \(error.problem)", fix: error.fix,
                cause: error)
        }
        if let (problem, fix) = spec.runLengthProblem(value) {
            throw InputError(source: "--duration", location: nil, problem: problem, fix: fix)
        }
        spec.duration = value
    }
    return (spec, text)
}

/// The profile asked for on the command line, else the topology's.
func resolveProfile(_ profile: String?, for spec: Topology, topologyPath: String) throws -> CostProfile {
    guard let profile else {
        guard let builtIn = ProfileReader.builtIn(spec.profileName, overrides: spec.profileOverrides) else {
            throw InputError(
                source: topologyPath, location: "profile", problem: "unknown profile \"\(spec.profileName)\"",
                fix: "use linux-default or ideal, or pass --profile FILE")
        }
        return builtIn
    }
    return try profileNamed(profile, option: "--profile")
}

/// A built-in profile by name, or a profile file, given to `option`.
func profileNamed(_ profile: String, option: String) throws -> CostProfile {
    if let builtIn = ProfileReader.builtIn(profile) { return builtIn }
    guard FileManager.default.fileExists(atPath: profile) else {
        throw InputError(
            source: option, location: nil, problem: "\"\(profile)\" is neither a built-in profile nor a file",
            fix: "use linux-default or ideal, or the path of a profile file")
    }
    let text = try readInput(profile)
    let read = try ProfileReader.read(text, file: profile)
    if let note = ProfileReader.variabilityNote(text, profile: read, file: profile) {
        var standardError = StandardError()
        print("netlab: note: \(note)", to: &standardError)
    }
    return read
}
