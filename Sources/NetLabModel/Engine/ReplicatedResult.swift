import NetLabStats

/// Independent replications of the same study, and what they say together: per flow and
/// grouping each metric's mean with its 95% confidence interval, and differences between
/// groupings taken replication by replication (paired: common random numbers within a
/// replication make them far tighter than the metrics themselves).
public struct ReplicatedResult: Sendable {
    public var replications: [SimulationResult]
    /// Where `--precision` stopped, when replications ran until a precision target.
    public var precisionStatus: PrecisionStatus?

    public init(_ replications: [SimulationResult]) {
        precondition(!replications.isEmpty, "no replications")
        self.replications = replications
    }

    public struct FlowStatistics: Sendable {
        public var meanLatencyNanoseconds: ConfidenceInterval
        public var p50Nanoseconds: ConfidenceInterval
        public var p99Nanoseconds: ConfidenceInterval
        public var throughputBitsPerSecond: ConfidenceInterval
        /// p99 of this grouping minus p99 of the grouping whose mean p99 is lowest for the flow.
        public var p99MinusBestNanoseconds: ConfidenceInterval
        /// That grouping's index.
        public var best: Int
    }

    /// The statistics of `flow` in grouping `grouping` (indices as in each replication).
    public func statistics(grouping: Int, flow: Int) -> FlowStatistics {
        func values(_ grouping: Int, _ metric: (GroupingResult.FlowResult) -> Double) -> [Double] {
            replications.map { metric($0.groupings[grouping].flows[flow]) }
        }
        let p99: (GroupingResult.FlowResult) -> Double = { Double($0.latency.valueAtPercentile(99)) }
        let groupings = replications[0].groupings.indices
        let best = groupings.min {
            ConfidenceInterval(values($0, p99)).mean < ConfidenceInterval(values($1, p99)).mean
        }!
        let differences = zip(values(grouping, p99), values(best, p99)).map { $0 - $1 }
        return FlowStatistics(
            meanLatencyNanoseconds: ConfidenceInterval(values(grouping) { $0.latency.meanNanoseconds }),
            p50Nanoseconds: ConfidenceInterval(values(grouping) { Double($0.latency.valueAtPercentile(50)) }),
            p99Nanoseconds: ConfidenceInterval(values(grouping, p99)),
            throughputBitsPerSecond: ConfidenceInterval(values(grouping) { $0.throughputBitsPerSecond }),
            p99MinusBestNanoseconds: ConfidenceInterval(differences), best: best)
    }
}
