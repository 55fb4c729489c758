import NetLabStats

/// A sweep's records with what is needed to read them: the axes and their values, the
/// replications, the identity of the sweep. The same whether it ran whole or in merged shards.
public struct SweepResult: Sendable, Equatable {
    /// An axis as the result keeps it: its path as typed and its values.
    public struct Axis: Sendable, Equatable {
        public var path: String
        public var values: [String]
    }

    /// The topology's name.
    public var topology: String
    /// The plan's ``SweepPlan/identity``: shards merge only with shards of the same sweep.
    public var identity: String
    /// The axes, in order.
    public var axes: [Axis]
    /// Replications per point.
    public var replications: Int
    /// In job order; within a job, grouping then flow order.
    public var records: [SweepRecord]

    /// The result of `plan`'s jobs.
    public init(plan: SweepPlan, topology: String, records: [SweepRecord]) {
        self.init(
            topology: topology, identity: plan.identity,
            axes: plan.axes.map { Axis(path: $0.path.description, values: $0.values) },
            replications: plan.replications, records: records)
    }

    /// A result as read back from shard files.
    public init(topology: String, identity: String, axes: [Axis], replications: Int, records: [SweepRecord]) {
        self.topology = topology
        self.identity = identity
        self.axes = axes
        self.replications = replications
        self.records = records
    }

    /// Points of the sweep: the product of the axes' value counts.
    public var points: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The value of each axis at `point` (the last axis varies fastest).
    public func values(at point: Int) -> [String] { axisValues(at: point, of: axes.map(\.values)) }

    /// One tidy row: a metric of a flow in a grouping at a point, its mean over replications and
    /// the half-width of its 95% interval (infinite with one replication).
    public struct Row: Sendable {
        public var point: Int
        public var grouping: String
        public var flow: String
        public var metric: String
        public var interval: ConfidenceInterval
    }

    /// Every point × grouping × flow × metric, in point order, then as the runs listed them.
    public var rows: [Row] {
        var rows: [Row] = []
        var start = 0
        while start < records.count {
            let point = records[start].job / replications
            var end = start
            while end < records.count, records[end].job / replications == point { end += 1 }
            // Each (grouping, flow) in the order first seen, with its records: one pass, so a
            // point of many groupings and flows costs linear time.
            var keys: [(grouping: String, flow: String)] = []
            var recordsOfKey: [[String]: [Int]] = [:]
            for index in start..<end {
                let key = [records[index].grouping, records[index].flow]
                if recordsOfKey[key] == nil { keys.append((key[0], key[1])) }
                recordsOfKey[key, default: []].append(index)
            }
            for (grouping, flow) in keys {
                let runs = recordsOfKey[[grouping, flow]]!.map { records[$0] }
                for (index, metric) in SweepRecord.metrics.enumerated() {
                    rows.append(
                        Row(
                            point: point, grouping: grouping, flow: flow, metric: metric,
                            interval: ConfidenceInterval(runs.map { $0.values[index] })))
                }
            }
            start = end
        }
        return rows
    }
}
