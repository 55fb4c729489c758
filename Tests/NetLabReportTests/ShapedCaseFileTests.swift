import NetLabCore
import NetLabModel
import Testing

@testable import NetLabReport

/// A shaped stream's token bucket goes into the profile file with its measurement and reads back,
/// so that `calibrate --measurements` predicts the same case again.
struct ShapedCaseFileTests {
    @Test func aShapedCaseReadsBackWithItsBucket() throws {
        let shaped = CalibrationCase(
            kind: .bulk, path: .bridge, transport: .tcp, size: 65_536, placement: .twoCores, poll: false,
            congestionControl: .bbr, shaper: CalibrationCase.podShaper)
        var unshaped = shaped
        unshaped.shaper = nil
        let record = CalibrationRecord(
            provenance: nil,
            measurements: [
                CalibrationMeasurement(calibrationCase: shaped, repetitions: [9.1e9, 9.3e9]),
                CalibrationMeasurement(calibrationCase: unshaped, repetitions: [19e9]),
            ])
        let text = CalibrationReport.profileFile(record, base: "linux-default", overrides: [:]).rendered()
        #expect(text.contains(#""rate": "10Gbps""#) && text.contains(#""burst": "128KiB""#))
        let read = try ProfileReader.measurements(text, file: "calibrated.json")
        #expect(read.map(\.calibrationCase) == [shaped, unshaped])
        #expect(read.map(\.repetitions) == [[9.1e9, 9.3e9], [19e9]])
    }
}
