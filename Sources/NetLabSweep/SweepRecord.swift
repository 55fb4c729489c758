/// One replication of one flow in one grouping at one point of a sweep: the figures a sweep
/// reports, as doubles that survive a round trip through text exactly.
public struct SweepRecord: Sendable, Equatable {
    /// `point × replications + replication`.
    public var job: Int
    /// The grouping's name.
    public var grouping: String
    /// The flow's name.
    public var flow: String
    /// In the order of ``SweepRecord/metrics``.
    public var values: [Double]

    /// A record; `values` in the order of ``SweepRecord/metrics``.
    public init(job: Int, grouping: String, flow: String, values: [Double]) {
        self.job = job
        self.grouping = grouping
        self.flow = flow
        self.values = values
    }

    /// The metrics of every record: latency percentiles and mean (ns), throughput (bit/s), and
    /// the share of offered messages lost.
    public static let metrics = ["latency_p50_ns", "latency_p99_ns", "latency_mean_ns", "throughput_bps", "loss"]
}
