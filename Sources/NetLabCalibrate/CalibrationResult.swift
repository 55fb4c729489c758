import NetLabModel

/// What a calibration ends with: the profile (fitted on the measurements, or the one under
/// check as it is), its field overrides on the base, and the record that goes into the report
/// and the profile file, with every case's prediction by that profile beside its measurement.
public struct CalibrationResult: Sendable {
    public var profile: CostProfile
    /// Field overrides on `linux-default`, as values of ``CostProfile/Field``; empty for a check.
    public var overrides: [String: Double]
    public var record: CalibrationRecord

    /// Fits a profile on `measured` (or, with `checked`, takes that profile as it is) and
    /// predicts every measured case with it.
    public init(
        measured: [CalibrationMeasurement], skipped: [(name: String, why: String)],
        provenance: CalibrationRecord.Provenance?, checking checked: CostProfile?, cores: Int
    ) {
        if let checked {
            profile = checked
            overrides = [:]
            record = CalibrationRecord(provenance: provenance, measurements: measured, skipped: skipped)
        } else {
            let fit = ProfileFit.fit(measured, base: .linuxDefault, cores: cores)
            profile = fit.profile
            overrides = fit.overrides
            record = CalibrationRecord(
                provenance: provenance, fittedFields: fit.fitted, undeterminedFields: fit.undetermined,
                measurements: measured, skipped: skipped)
        }
        let predictions = ProfileFit.predictAll(
            measured.map(\.calibrationCase), profile: profile, cores: cores, samples: .many)
        for index in record.measurements.indices {
            record.measurements[index].predicted = predictions[index].value
            record.measurements[index].predictedTail = predictions[index].tail
        }
    }
}
