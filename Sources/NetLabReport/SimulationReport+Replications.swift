import NetLabCore
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
            "\n\(replicated.replications.count) replications: means with 95% intervals, differences paired per replication\n"
        var rows = TextTable(columns: [
            .init("flow"), .init("grouping"), .init("p50", alignment: .right), .init("p99", alignment: .right),
            .init("p99 − best", alignment: .right), .init("throughput", alignment: .right),
        ])
        let groupingLabels = ShortNames(first.groupings.map(\.name), limit: ShortNames.groupingLimit)
        let flowLabels = ShortNames(first.groupings[0].flows.map(\.name), limit: ShortNames.flowLimit)
        for flow in first.groupings[0].flows.indices {
            for grouping in first.groupings.indices {
                let statistics = replicated.statistics(grouping: grouping, flow: flow)
                rows.append([
                    grouping == 0 ? flowLabels.labels[flow] : "", groupingLabels.labels[grouping],
                    durationInterval(statistics.p50Nanoseconds),
                    durationInterval(statistics.p99Nanoseconds),
                    statistics.best == grouping
                        ? "best"
                        : durationInterval(statistics.p99MinusBestNanoseconds)
                            + (statistics.p99MinusBestNanoseconds.mean - statistics.p99MinusBestNanoseconds.halfWidth
                                <= 0 ? " ~" : ""),
                    rateInterval(statistics.throughputBitsPerSecond),
                ])
            }
        }
        output += rows.rendered()
        output += "~ not significantly different from the best (the interval reaches 0)\n"
        if let status = replicated.precisionStatus, let target = status.target {
            output +=
                "precision: widest \(status.metric.rawValue) interval ±\(FigureText.percent(status.worstRelativeHalfWidth)) of its mean (\(status.flow), \(status.grouping)); target ±\(FigureText.percent(target)), \(status.isReached ? "reached" : "NOT reached") in \(status.replications) replications\n"
        }
        return output
    }

    static func interval(_ value: ConfidenceInterval, _ format: (Double) -> String) -> String {
        "\(format(value.mean)) ± \(format(value.halfWidth))"
    }

    /// A duration in nanoseconds read or computed as a Double (negative shown as 0; any size).
    static func formatNanoseconds(_ value: Double) -> String { FigureText.duration(nanoseconds: max(0, value)) }

    /// A duration interval in nanoseconds, as "460.4 ± 28us".
    static func durationInterval(_ value: ConfidenceInterval) -> String {
        FigureText.interval(nanoseconds: value.mean, halfWidth: value.halfWidth)
    }

    /// A rate interval in bits per second, as "97.0 ± 2.4Mbps".
    static func rateInterval(_ value: ConfidenceInterval) -> String {
        FigureText.interval(bitsPerSecond: value.mean, halfWidth: value.halfWidth)
    }
}
