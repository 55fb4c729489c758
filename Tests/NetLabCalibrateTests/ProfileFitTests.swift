import NetLabCore
import NetLabModel
import Testing

@testable import NetLabCalibrate

/// What the fit determines and what it keeps. That it recovers a profile from measurements the
/// simulator itself made with that profile is tested end to end, in the release build
/// (`CalibrateFitRecoveryTests`).
@Suite struct ProfileFitTests {
    @Test func parametersNoCaseMeasuresAreNamedUndetermined() {
        let cases = [
            CalibrationCase(
                kind: .roundTrip, path: .inPod, transport: .pipe, size: 64, placement: .sameCore, poll: false)
        ]
        let measurements = cases.map { CalibrationMeasurement(calibrationCase: $0, repetitions: [3.0]) }
        let outcome = ProfileFit.fit(measurements, base: .linuxDefault, cores: 2, iterations: 2)
        #expect(outcome.undetermined.contains { $0.field.hasPrefix("vxlan") })
        #expect(outcome.undetermined.contains { $0.field == "wakeup" })
        #expect(outcome.fitted.contains("pipe") || outcome.fitted.contains("context_switch"))
    }

    /// On a host whose default is BBR, TCP streams are measured under CUBIC and BBR, the BBR ones
    /// held out (netlab's BBR does not pace-bind where the CPU limits), and the fitted profile
    /// simulates the host's default; without a BBR stream it stays CUBIC.
    @Test func theHostsCongestionControlIsMeasuredAndKept() {
        let plan = CalibrationPlan.cases(quick: true, cores: 2, hostCongestionControl: .bbr).cases
        let streams = plan.filter { $0.kind == .bulk && $0.transport == .tcp && $0.path == .inPod }
        #expect(streams.map(\.congestionControl) == [.cubic, .bbr])
        #expect(streams.map(\.isTraining) == [true, false])
        #expect(CalibrationPlan.cases(quick: true, cores: 2).cases.filter { $0.congestionControl == .bbr }.isEmpty)
        let roundTrip = CalibrationCase(
            kind: .roundTrip, path: .inPod, transport: .tcp, size: 64, placement: .twoCores, poll: false)
        let measured = [roundTrip] + streams
        let values = [30.0, 20e9, 10e9]
        let measurements = zip(measured, values).map { CalibrationMeasurement(calibrationCase: $0, repetitions: [$1]) }
        #expect(
            ProfileFit.fit(measurements, base: .linuxDefault, cores: 2, iterations: 2).profile.congestionControl == .bbr
        )
        let cubicOnly = Array(measurements.prefix(2))
        #expect(
            ProfileFit.fit(cubicOnly, base: .linuxDefault, cores: 2, iterations: 2).profile.congestionControl == .cubic)
    }
}
