import NetLabStats

/// One flow of the identity check: the captured request-to-reply times moved to the client
/// application, against the simulated ones in the grouping the capture was made in.
public struct CaptureCheck: Sendable {
    public var flow: String
    public var captured: LatencyHistogram
    public var simulated: LatencyHistogram

    /// Simulated relative to captured at `percentile`, rounded to 0.01%: +0.05 is 5% slower.
    public func error(_ percentile: Double) -> Double {
        let reference = Double(captured.valueAtPercentile(percentile))
        guard reference > 0 else { return 0 }
        return ((Double(simulated.valueAtPercentile(percentile)) - reference) / reference * 10_000).rounded() / 10_000
    }
}

extension ReplayResult {
    /// The identity check, when the capture's grouping is known (it is replayed first): one row per
    /// flow whose capture shows a request followed by a reply.
    public var captureCheck: [CaptureCheck]? {
        guard origin != nil, let first = simulation.groupings.first else { return nil }
        return first.flows.indices.compactMap { index in
            guard capturedAtApplication[index].count > 0 else { return nil }
            return CaptureCheck(
                flow: first.flows[index].name, captured: capturedAtApplication[index],
                simulated: simulatedExchanges[0][index])
        }
    }
}
