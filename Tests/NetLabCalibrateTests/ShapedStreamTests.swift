import NetLabCore
import NetLabModel
import Testing

@testable import NetLabCalibrate

/// Streams between pods are measured, and predicted, through the token bucket the Kubernetes
/// bandwidth plugin puts on a pod's interface as well as without it.
@Suite struct ShapedStreamTests {
    @Test(arguments: [true, false])
    func bridgeStreamsAreMeasuredShapedAndUnshapedAndHeldOut(quick: Bool) {
        let plan = CalibrationPlan.cases(quick: quick, cores: 2, hostCongestionControl: .bbr).cases
        let bridge = plan.filter { $0.kind == .bulk && $0.path == .bridge && $0.transport == .tcp }
        #expect(bridge.map(\.congestionControl) == [.cubic, .bbr, .cubic, .bbr])
        #expect(bridge.map(\.shaper) == [nil, nil, CalibrationCase.podShaper, CalibrationCase.podShaper])
        #expect(bridge.allSatisfy { !$0.isTraining })
        #expect(bridge[2].name == "bridge tcp bulk cubic two-cores tbf 10Gbps")
        // Only between pods: one pod talks over loopback, which no pod shaper sees.
        #expect(plan.filter { $0.shaper != nil }.allSatisfy { $0.path == .bridge })
    }

    /// The bucket binds where the unshaped stream runs faster than its rate (here under `ideal`
    /// with copies at 20 GB/s, its only cost): the prediction then stays within its rate plus one
    /// burst over the measured window, and above its rate's share of payload (the bucket counts
    /// whole frames: 1,448 bytes of payload in 1,514).
    @Test func aShapedStreamIsPredictedAtTheBucketsRate() throws {
        let fastHost = try #require(ProfileReader.builtIn("ideal", overrides: ["copy_per_byte": 50]))
        let unshaped = CalibrationCase(
            kind: .bulk, path: .bridge, transport: .tcp, size: 65_536, placement: .twoCores, poll: false,
            congestionControl: .cubic)
        var shaped = unshaped
        shaped.shaper = CalibrationCase.podShaper
        let free = CasePrediction.predict(unshaped, profile: fastHost, cores: 2).value
        let limited = CasePrediction.predict(shaped, profile: fastHost, cores: 2).value
        let rate = Double(CalibrationCase.podShaper.rate.bitsPerSecond)
        #expect(free > rate * 1.2, "unshaped \(free / 1e9) Gb/s: the bucket would not bind")
        // 30 ms measured: one 128 KiB burst adds 35 Mb/s at most.
        #expect(limited <= rate + Double(CalibrationCase.podShaper.burst.bytes) * 8 / 0.030)
        #expect(limited > rate * 0.93, "shaped \(limited / 1e9) Gb/s")
    }
}
