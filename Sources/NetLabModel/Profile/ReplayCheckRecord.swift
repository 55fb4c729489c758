/// What `netlab calibrate --replay` found: a reference request/response application run in each
/// placement on this host, captured there, and each capture replayed through every placement
/// with the profile under test, against what the application itself measured in that placement.
///
/// Replay takes the application's timing from the capture and the path's costs from the
/// profile, so this is how far a replay on this host can be trusted: the error of each
/// placement's prediction, and of the predicted difference between two placements.
public struct ReplayCheckRecord: Sendable, Equatable {
    /// One kind of exchange the reference application makes.
    public struct Workload: Sendable, Equatable {
        public var name: String
        public var requestBytes: Int
        public var replyBytes: Int
        /// The server computes this long before it replies.
        public var serverWorkMicroseconds: Double
        /// The client's think time before each request, exponentially distributed with this mean.
        public var thinkMeanMicroseconds: Double
        /// Exchanges in each run, and runs in each placement.
        public var exchanges: Int
        public var runs: Int

        public init(
            name: String, requestBytes: Int, replyBytes: Int, serverWorkMicroseconds: Double,
            thinkMeanMicroseconds: Double, exchanges: Int, runs: Int = 1
        ) {
            self.name = name
            self.requestBytes = requestBytes
            self.replyBytes = replyBytes
            self.serverWorkMicroseconds = serverWorkMicroseconds
            self.thinkMeanMicroseconds = thinkMeanMicroseconds
            self.exchanges = exchanges
            self.runs = runs
        }
    }

    /// Request-to-reply times in microseconds.
    public struct Times: Sendable, Equatable {
        public var p50: Double
        public var p99: Double
        /// Half the width of the p50's 95% confidence interval, for measured times (order
        /// statistics of every sample, widened by the runs' own difference); 0 for replayed ones.
        public var p50HalfInterval: Double

        public init(p50: Double, p99: Double, p50HalfInterval: Double = 0) {
            self.p50 = p50
            self.p99 = p99
            self.p50HalfInterval = p50HalfInterval
        }
    }

    /// One workload captured in one placement (its runs together) and replayed through every
    /// placement.
    public struct Capture: Sendable, Equatable {
        public var workload: Int
        public var placement: Int
        /// What the application measured during the capture (its own timestamps).
        public var measured: Times
        /// Per placement: the capture replayed through it.
        public var replayed: [Times]
        /// Captured gaps that came out negative after the profile's correction (taken as zero).
        public var negativeGaps: Int
        public var gaps: Int
        /// Packets the capture lost (tcpdump's "dropped by kernel").
        public var droppedPackets: Int

        public init(
            workload: Int, placement: Int, measured: Times, replayed: [Times], negativeGaps: Int, gaps: Int,
            droppedPackets: Int
        ) {
            self.workload = workload
            self.placement = placement
            self.measured = measured
            self.replayed = replayed
            self.negativeGaps = negativeGaps
            self.gaps = gaps
            self.droppedPackets = droppedPackets
        }
    }

    /// The profile under test.
    public var profile: String
    /// The placements, in the order `replayed` lists them (e.g. one pod over loopback).
    public var placements: [String]
    public var workloads: [Workload]
    public var captures: [Capture]

    public init(profile: String, placements: [String], workloads: [Workload], captures: [Capture]) {
        self.profile = profile
        self.placements = placements
        self.workloads = workloads
        self.captures = captures
    }

    /// The capture of `workload` made in `placement`, if it was made.
    public func capture(workload: Int, placement: Int) -> Capture? {
        captures.first { $0.workload == workload && $0.placement == placement }
    }

    /// A capture replayed through another placement, compared with that placement's own run.
    public struct Prediction: Sendable, Equatable {
        public var workload: Int
        public var capturedIn: Int
        public var replayedThrough: Int
        /// Relative errors of the replayed p50 and p99 against the ones measured there.
        public var p50Error: Double
        public var p99Error: Double
        /// Predicted and measured difference of p50 between the two placements (µs), and the
        /// measured difference's 95% interval half-width.
        public var predictedDifference: Double
        public var measuredDifference: Double
        public var differenceHalfInterval: Double

        public var differenceInsideInterval: Bool {
            abs(predictedDifference - measuredDifference) <= differenceHalfInterval
        }
    }

    /// Every capture replayed through every other placement that was also measured.
    public var offDiagonal: [Prediction] {
        var predictions: [Prediction] = []
        for capture in captures {
            for target in placements.indices where target != capture.placement {
                guard let there = self.capture(workload: capture.workload, placement: target) else { continue }
                let replayed = capture.replayed[target], home = capture.replayed[capture.placement]
                predictions.append(
                    Prediction(
                        workload: capture.workload, capturedIn: capture.placement, replayedThrough: target,
                        p50Error: replayed.p50 / there.measured.p50 - 1,
                        p99Error: replayed.p99 / there.measured.p99 - 1,
                        predictedDifference: replayed.p50 - home.p50,
                        measuredDifference: there.measured.p50 - capture.measured.p50,
                        differenceHalfInterval: (there.measured.p50HalfInterval * there.measured.p50HalfInterval
                            + capture.measured.p50HalfInterval * capture.measured.p50HalfInterval)
                            .squareRoot()))
            }
        }
        return predictions
    }

    /// Medians over the off-diagonal predictions, the figures a user trusts a replay by.
    public struct Summary: Sendable, Equatable {
        public var predictions: Int
        public var medianP50Error: Double
        public var medianP99Error: Double
        /// Median |predicted − measured difference| in µs.
        public var medianDifferenceError: Double
        /// Share of predicted differences inside the measured interval.
        public var differencesInside: Double
        /// Median relative error of each capture replayed through its own placement.
        public var medianIdentityError: Double
        public var negativeGaps: Int
        public var gaps: Int

        public init(
            predictions: Int, medianP50Error: Double, medianP99Error: Double, medianDifferenceError: Double,
            differencesInside: Double, medianIdentityError: Double, negativeGaps: Int, gaps: Int
        ) {
            self.predictions = predictions
            self.medianP50Error = medianP50Error
            self.medianP99Error = medianP99Error
            self.medianDifferenceError = medianDifferenceError
            self.differencesInside = differencesInside
            self.medianIdentityError = medianIdentityError
            self.negativeGaps = negativeGaps
            self.gaps = gaps
        }
    }

    public var summary: Summary {
        let predictions = offDiagonal
        let median = CalibrationMeasurement.median
        let identity = captures.map { abs($0.replayed[$0.placement].p50 / $0.measured.p50 - 1) }
        return Summary(
            predictions: predictions.count,
            medianP50Error: median(predictions.map { abs($0.p50Error) }),
            medianP99Error: median(predictions.map { abs($0.p99Error) }),
            medianDifferenceError: median(predictions.map { abs($0.predictedDifference - $0.measuredDifference) }),
            differencesInside: predictions.isEmpty
                ? .nan : Double(predictions.filter(\.differenceInsideInterval).count) / Double(predictions.count),
            medianIdentityError: median(identity),
            negativeGaps: captures.reduce(0) { $0 + $1.negativeGaps }, gaps: captures.reduce(0) { $0 + $1.gaps })
    }
}
