import NetLabCore

/// A grouping asked for by name that the topology does not define.
public struct UnknownGrouping: Error, Sendable {
    public var name: String
    /// The names it does define, in order.
    public var choices: [String]
}

extension Topology {
    /// The longest run netlab simulates.
    public static let longestRun = SimDuration.seconds(30 * 86_400)

    /// The indices of the groupings `names` asks for, in that order, each once; every grouping
    /// when `names` is empty.
    public func groupingIndices(named names: [String]) throws(UnknownGrouping) -> [Int] {
        guard !names.isEmpty else { return Array(groupings.indices) }
        var indices: [Int] = []
        for name in names {
            guard let index = groupings.firstIndex(where: { $0.name == name }) else {
                throw UnknownGrouping(name: name, choices: groupings.map(\.name))
            }
            if !indices.contains(index) { indices.append(index) }
        }
        return indices
    }

    /// Why `duration` cannot be this topology's run length (what is wrong, and the fix), or nil:
    /// it must be longer than the warm-up and at most ``longestRun``.
    public func runLengthProblem(_ duration: SimDuration) -> (problem: String, fix: String)? {
        if duration > Self.longestRun {
            return ("a run of \(duration) is longer than netlab simulates", "give at most 30 days")
        }
        if duration <= warmup {
            return ("\(duration) is not longer than the warm-up (\(warmup))", "give a longer duration")
        }
        return nil
    }
}
