/// What a calibrated profile file carries beside its figures: where and when it was measured,
/// which fields the fit set and which it could not, and every case with its measurement.
public struct CalibrationRecord: Sendable {
    public struct Provenance: Sendable {
        public var host: String
        public var cpu: String
        public var cores: Int
        public var kernel: String
        public var virtualization: String
        public var date: String
        public var netlabVersion: String

        public init(
            host: String, cpu: String, cores: Int, kernel: String, virtualization: String, date: String,
            netlabVersion: String
        ) {
            self.host = host
            self.cpu = cpu
            self.cores = cores
            self.kernel = kernel
            self.virtualization = virtualization
            self.date = date
            self.netlabVersion = netlabVersion
        }
    }

    public var provenance: Provenance?
    /// Fields the fit chose, and fields it could not determine (left at the base) with why.
    public var fittedFields: [String]
    public var undeterminedFields: [(field: String, why: String)]
    public var measurements: [CalibrationMeasurement]
    /// Cases not measured, with the reason (no root, no VXLAN, ...).
    public var skipped: [(name: String, why: String)]
    /// What `calibrate --replay` found for the profile, when it ran.
    public var replayCheck: ReplayCheckRecord?

    public init(
        provenance: Provenance?, fittedFields: [String] = [], undeterminedFields: [(field: String, why: String)] = [],
        measurements: [CalibrationMeasurement], skipped: [(name: String, why: String)] = []
    ) {
        self.provenance = provenance
        self.fittedFields = fittedFields
        self.undeterminedFields = undeterminedFields
        self.measurements = measurements
        self.skipped = skipped
    }
}

/// How well predictions match measurements over a set of cases.
public struct CalibrationSummary: Sendable {
    public var cases: Int
    public var medianAbsoluteError: Double
    public var maximumAbsoluteError: Double
    public var within15Percent: Int
    public var within25Percent: Int

    /// The summary of the predicted cases among `measurements`, or nil if there are none: of
    /// their medians (or throughputs), or with `quantile` of a round trip's upper quantile.
    public init?(_ measurements: [CalibrationMeasurement], quantile: KeyPath<RoundTripTail, Double>? = nil) {
        let errors = measurements.compactMap { measurement in
            (quantile.map { measurement.error($0) } ?? measurement.error).map(abs)
        }.filter { $0.isFinite }.sorted()
        guard !errors.isEmpty else { return nil }
        cases = errors.count
        medianAbsoluteError =
            errors.count % 2 == 1
            ? errors[errors.count / 2] : (errors[errors.count / 2 - 1] + errors[errors.count / 2]) / 2
        maximumAbsoluteError = errors.last!
        within15Percent = errors.filter { $0 <= 0.15 }.count
        within25Percent = errors.filter { $0 <= 0.25 }.count
    }
}
