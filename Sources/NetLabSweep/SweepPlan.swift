import NetLabCore
import NetLabModel
import NetLabSpec

/// A sweep: a topology, the axes of `--set`, fixed changes (`--duration`), the groupings to run
/// and the replications per point. Its points are the cross product of the axes (the last axis
/// varies fastest); its jobs are point × replication, numbered `point × replications +
/// replication`, and a shard takes every job whose number leaves its index modulo the shard count.
public struct SweepPlan: Sendable {
    /// The topology file, for errors.
    public let file: String
    /// The topology as read; every point applies its changes to it.
    public let topologyText: String
    /// The `--set`s, in order (the last varies fastest).
    public let axes: [SweepAxis]
    /// Changes made at every point (`--duration`).
    public let fixed: [(path: ParameterPath, value: String)]
    /// The groupings to run (all when empty).
    public let groupings: [String]
    /// Replications per point, each on its own seed.
    public let replications: Int
    /// The base seed (the topology's when nil).
    public let seed: UInt64?
    /// The cost profile's name or file, part of the sweep's identity.
    public let profileName: String
    private let document: JSONNode

    /// A plan over `topologyText`. Fails where the topology is not a document, no axis is given,
    /// or the axes multiply past what a sweep may run (10⁶ points, 10⁷ jobs); a value that makes
    /// a point's topology invalid fails ``topology(at:)``.
    public init(
        file: String, topologyText: String, axes: [SweepAxis], fixed: [(path: ParameterPath, value: String)] = [],
        groupings: [String] = [], replications: Int, seed: UInt64?, profileName: String
    ) throws(SweepError) {
        self.file = file
        self.topologyText = topologyText
        self.axes = axes
        self.fixed = fixed
        self.groupings = groupings
        self.replications = replications
        self.seed = seed
        self.profileName = profileName
        do { document = try TopologyReader.document(topologyText, file: file) } catch {
            throw SweepError(error)
        }
        guard !axes.isEmpty else {
            throw SweepError("--set", "no parameter to sweep", fix: "give --set PATH=VALUES at least once")
        }
        guard points <= 1_000_000 else {
            let count = points == Int.max ? "over 9.2e18" : "\(points)"
            throw SweepError("--set", "\(count) points", fix: "sweep at most 1000000 points (fewer values per axis)")
        }
        guard jobs <= 10_000_000 else {
            throw SweepError(
                "--replications", "\(points) points × \(replications) replications make \(jobs) runs",
                fix: "run at most 10000000 (fewer points or replications)")
        }
    }

    /// The axes' value counts multiplied, or `Int.max` when that overflows.
    public var points: Int { axes.reduce(1) { Self.saturatingProduct($0, $1.values.count) } }
    /// Points × replications, or `Int.max` when that overflows.
    public var jobs: Int { Self.saturatingProduct(points, replications) }

    static func saturatingProduct(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : product
    }

    /// The value of each axis at `point`.
    public func values(at point: Int) -> [String] { axisValues(at: point, of: axes.map(\.values)) }

    /// The topology at `point`, validated, or the first problem a value causes, naming the axis.
    public func topology(at point: Int) throws(SweepError) -> Topology {
        var root = document
        let changes = fixed + zip(axes.map(\.path), values(at: point)).map { (path: $0, value: $1) }
        for change in changes { root = try change.path.applying(SweepAxis.jsonValue(change.value), to: root) }
        do { return try TopologyReader.read(document: root, file: file) } catch {
            let set = changes.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
            throw SweepError(
                "--set", "at \(set): \(error.path.isEmpty ? "" : "\(error.path): ")\(error.problem)", fix: error.fix,
                cause: error)
        }
    }

    /// The jobs of shard `shard` of `shards`.
    public func jobs(inShard shard: Int, of shards: Int) -> [Int] {
        Array(stride(from: shard, to: jobs, by: shards))
    }

    /// What identifies the sweep: every input that changes its results, hashed (FNV-1a, 64
    /// bits), so that shards of different sweeps are never merged.
    public var identity: String {
        var hash = StableHash()
        func mix(_ text: String) {
            hash.combine(text.utf8)
            hash.combine(CollectionOfOne(0))
        }
        mix(topologyText)
        for axis in axes { mix(axis.path.description + "=" + axis.values.joined(separator: ",")) }
        for change in fixed { mix("\(change.path)=\(change.value)") }
        mix(groupings.joined(separator: ","))
        mix("\(replications)/\(seed.map(String.init) ?? "topology")/\(profileName)")
        let hex = String(hash.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The value of each axis at `point` of the cross product of `axes` (the last varies fastest).
func axisValues(at point: Int, of axes: [[String]]) -> [String] {
    var rest = point
    var values = Array(repeating: "", count: axes.count)
    for index in axes.indices.reversed() {
        values[index] = axes[index][rest % axes[index].count]
        rest /= axes[index].count
    }
    return values
}
