import NetLabStats

/// One flow of the consistency check: the captured request-to-reply times moved to the client
/// application, against the simulated ones in the grouping the capture was made in.
///
/// It is consistency, not validation: the captured gaps were corrected with the profile's own
/// costs for the captured path, so this grouping gives the capture back by construction (errors
/// come from what the replay could not carry over: queueing the capture did not see, order, lost
/// messages). Whether the profile's costs fit the host is what `netlab calibrate` measures.
public struct CaptureCheck: Sendable {
    public var flow: String
    public var captured: LatencyHistogram
    public var simulated: LatencyHistogram
    /// The same exchanges at the capture point, before the model's host costs outside it were
    /// added: the difference is the part of `captured` that is modelled, not captured.
    public var atCapturePoint: LatencyHistogram

    /// The modelled part of the captured request-to-reply time at its median, in nanoseconds:
    /// the host costs outside the capture point (the client's send and receive, its stack and
    /// wake-up, for a capture away from the client).
    public var modelledAtMedian: Double {
        Double(captured.valueAtPercentile(50)) - Double(atCapturePoint.valueAtPercentile(50))
    }

    /// Simulated relative to captured at `percentile`, rounded to 0.01%: +0.05 is 5% slower.
    public func error(_ percentile: Double) -> Double {
        let reference = Double(captured.valueAtPercentile(percentile))
        guard reference > 0 else { return 0 }
        return ((Double(simulated.valueAtPercentile(percentile)) - reference) / reference * 10_000).rounded() / 10_000
    }
}

extension ReplayResult {
    /// The consistency check, when the capture's grouping is known (it is replayed first): one row per
    /// flow whose capture shows a request followed by a reply.
    public var captureCheck: [CaptureCheck]? {
        guard origin != nil, let first = simulation.groupings.first else { return nil }
        return first.flows.indices.compactMap { index in
            guard capturedAtApplication[index].count > 0 else { return nil }
            return CaptureCheck(
                flow: first.flows[index].name, captured: capturedAtApplication[index],
                simulated: simulatedExchanges[0][index], atCapturePoint: captured[index])
        }
    }
}
