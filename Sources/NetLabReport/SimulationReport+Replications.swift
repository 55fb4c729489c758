import NetLabModel
import NetLabStats

extension SimulationReport {
    /// The table of replicated runs: the first replication's table (labelled so), with the ranking
    /// and verdict over all of them, then per flow and grouping the p50 and p99 means with their
    /// 95% intervals and the paired p99 difference from the best.
    public static func table(_ replicated: ReplicatedResult) -> String {
        let first = replicated.replications[0]
        var output = table(first, replications: replicated.replications.count, judged: verdict(replicated))
        guard replicated.replications.count > 1 else { return output }
        output +=
            "\n\(replicated.replications.count) replications (95% confidence intervals; differences paired per replication):\n"
        var rows = TextTable(columns: [
            .init("flow"), .init("grouping"), .init("p50", alignment: .right), .init("p99", alignment: .right),
            .init("p99 − best", alignment: .right), .init("throughput", alignment: .right),
        ])
        for flow in first.groupings[0].flows.indices {
            for grouping in first.groupings.indices {
                let statistics = replicated.statistics(grouping: grouping, flow: flow)
                rows.append([
                    grouping == 0 ? first.groupings[0].flows[flow].name : "", first.groupings[grouping].name,
                    interval(statistics.p50Nanoseconds, formatNanoseconds),
                    interval(statistics.p99Nanoseconds, formatNanoseconds),
                    statistics.best == grouping
                        ? "best"
                        : interval(statistics.p99MinusBestNanoseconds, formatNanoseconds)
                            + (statistics.p99MinusBestNanoseconds.mean - statistics.p99MinusBestNanoseconds.halfWidth
                                <= 0 ? " (not significant)" : ""),
                    interval(statistics.throughputBitsPerSecond, formatRate),
                ])
            }
        }
        output += rows.rendered()
        if let status = replicated.precisionStatus, let target = status.target {
            output +=
                "precision: widest \(status.metric.rawValue) interval ±\(formatPercent(status.worstRelativeHalfWidth)) of its mean (\(status.flow), \(status.grouping)); target ±\(formatPercent(target)), \(status.isReached ? "reached" : "NOT reached") in \(status.replications) replications\n"
        }
        return output
    }

    static func interval(_ value: ConfidenceInterval, _ format: (Double) -> String) -> String {
        "\(format(value.mean)) ± \(format(value.halfWidth))"
    }

    static func formatNanoseconds(_ value: Double) -> String { formatNanoseconds(UInt64(max(0, value.rounded()))) }
}
