import NetLabCore
import NetLabModel
import Testing

@testable import NetLabCalibrate

/// The fit recovers a profile from measurements the simulator itself made with that profile.
@Suite struct ProfileFitTests {
    /// A host unlike linux-default: a slow VM wake-up, dearer system calls, cheaper copies.
    static let known: [String: Double] = [
        "wakeup": 27e6, "context_switch": 1.9e6, "socket_send": 0.7e6, "socket_receive": 0.7e6,
        "stack_transmit": 0.84e6,
        "stack_receive": 0.84e6, "copy_per_byte": 40, "cold_copy_per_byte": 260, "remote_copy_per_byte": 35,
        "uds_send": 1.3e6,
        "uds_receive": 1.3e6,
        "uds_copy_per_byte": 55, "pipe_write": 0.35e6, "pipe_read": 0.35e6, "pipe_copy_per_byte": 70,
        "shm_write": 0.12e6,
        "shm_read": 0.12e6, "shm_copy_per_byte": 30, "veth_per_packet": 2e6, "bridge_per_packet": 3e6,
        "nic_transmit": 1.5e6, "nic_receive": 1.5e6, "netfilter_per_packet": 0, "nic_interrupt_delay": 0,
    ]

    /// Where this host wakes unpinned readers: on the waker's core for pipes and shared memory,
    /// on another core for TCP and Unix stream sockets.
    static let knownAffine = Double((1 << Transport.pipe.bit) | (1 << Transport.shm.bit))

    /// Spreads unlike linux-default's.
    static let knownSpreads: [String: Double] = ["work_sigma": 0.12, "wakeup_sigma": 0.5, "context_switch_sigma": 0.3]

    @Test func fitRecoversTheFieldsThatMadeTheMeasurements() throws {
        let truth = CostProfile.linuxDefault.applying(
            Self.known.merging(Self.knownSpreads) { $1 }.merging(["affine_wakeups": Self.knownAffine]) { $1 })
        let cases = CalibrationPlan.cases(quick: true, cores: 2).cases
        let synthetic = ProfileFit.predictAll(cases, profile: truth, cores: 2, samples: .tail)
        let measurements = zip(cases, synthetic).map {
            CalibrationMeasurement(calibrationCase: $0, repetitions: [$1.value], tails: $1.tail.map { [$0] } ?? [])
        }
        let outcome = ProfileFit.fit(measurements, base: .linuxDefault, cores: 2)
        for parameter in ProfileFit.parameters where outcome.fitted.contains(parameter.name) {
            let field = parameter.fields[0].0
            let expected = try #require(Self.known[field.rawValue], "\(field.rawValue) has a known value")
            let fitted = try #require(outcome.overrides[field.rawValue])
            #expect(abs(fitted / expected - 1) < 0.05, "\(parameter.name): fitted \(fitted), made with \(expected)")
        }
        for (field, expected) in Self.knownSpreads {
            let fitted = try #require(outcome.overrides[field], "\(field) is fitted")
            #expect(abs(fitted / expected - 1) < 0.25, "\(field): fitted \(fitted), made with \(expected)")
        }
        #expect(outcome.fitted.count >= 15, "fitted \(outcome.fitted)")
        // The wake-up placement of each transport whose unpinned round trip was measured.
        for transport in [Transport.tcp, .uds, .pipe, .shm] {
            #expect(
                outcome.profile.wakesOnWakerCore(transport) == truth.wakesOnWakerCore(transport), "\(transport)")
        }
        // Every held-out case is predicted within 5% by the recovered profile, its p99 within 10%.
        let predicted = ProfileFit.predictAll(cases, profile: outcome.profile, cores: 2, samples: .tail)
        for (index, item) in cases.enumerated() where !item.isTraining {
            #expect(
                abs(predicted[index].value / synthetic[index].value - 1) < 0.05,
                "\(item.name): \(predicted[index].value) vs \(synthetic[index].value)")
            if let made = synthetic[index].tail?.p99, let recovered = predicted[index].tail?.p99 {
                #expect(abs(recovered / made - 1) < 0.1, "\(item.name) p99: \(recovered) vs \(made)")
            }
        }
    }

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
