import Foundation
import NetLabCore
import NetLabModel

/// Fits how the host's costs vary (``HostVariability``) to the measured distributions.
///
/// Each spread is found from the cases that show it alone, on the ratio p99 / p50 (which the
/// medians' figures hardly move): the work's spread from busy-polling round trips (no wake-up),
/// the wake-up's from blocking ones on two cores, the context switch's from blocking ones on one
/// core, in that order. The ratio grows with the spread, so a bisection finds the spread whose
/// predicted ratios match the measured ones (their median difference in logarithms is zero).
/// The wake-up's growth with idleness is read off the round trips with think time.
enum SpreadFit {
    struct Group: Sendable {
        var field: CostProfile.Field
        var why: String
        var includes: @Sendable (CalibrationCase) -> Bool
    }

    static let groups: [Group] = [
        Group(field: .workSigma, why: "busy-polling round trips") { $0.poll || $0.transport == .shmSpin },
        Group(field: .wakeupSigma, why: "blocking round trips on two cores") {
            !$0.poll && $0.transport != .shmSpin && $0.placement == .twoCores
        },
        Group(field: .contextSwitchSigma, why: "blocking round trips on one core") {
            !$0.poll && $0.transport != .shmSpin && $0.placement == .sameCore
        },
    ]

    /// The spreads, fitted one after the other on the training round trips whose tails were
    /// measured; `profile` gives the profile with the spreads chosen so far.
    static func fitSpreads(
        _ measurements: [CalibrationMeasurement], profile: ([String: Double]) -> CostProfile, cores: Int
    ) -> (overrides: [CostProfile.Field: Double], fitted: [String], undetermined: [(field: String, why: String)]) {
        var chosen: [String: Double] = [:]
        var result: [CostProfile.Field: Double] = [:]
        var fitted: [String] = []
        var undetermined: [(field: String, why: String)] = []
        for group in groups {
            let cases = measurements.filter {
                let item = $0.calibrationCase
                return item.kind == .roundTrip && item.isTraining && item.thinkMicroseconds == 0
                    && group.includes(item) && $0.measured(\.p99) != nil && $0.measured > 0
            }
            guard !cases.isEmpty else {
                undetermined.append(
                    (group.field.rawValue, "no training case measured its tail (\(group.why)); kept the base's"))
                continue
            }
            let targets = cases.map { log($0.measured(\.p99)! / $0.measured) }
            func excess(_ sigma: Double) -> Double {
                var trial = chosen
                trial[group.field.rawValue] = sigma
                let predicted = ProfileFit.predictAll(
                    cases.map(\.calibrationCase), profile: profile(trial), cores: cores, samples: .tail)
                let differences = zip(predicted, targets).map { prediction, target in
                    log(max(prediction.tail?.p99 ?? 0, 1e-9) / max(prediction.value, 1e-9)) - target
                }
                return differences.sorted()[differences.count / 2]
            }
            var low = 0.0, high = 1.2
            if excess(low) >= 0 {
                high = 0
            } else if excess(high) <= 0 {
                low = high
            } else {
                for _ in 0..<7 {
                    let middle = (low + high) / 2
                    if excess(middle) < 0 { low = middle } else { high = middle }
                }
            }
            let sigma = ((low + high) / 2 * 1000).rounded() / 1000
            chosen[group.field.rawValue] = sigma
            result[group.field] = sigma
            fitted.append(group.field.rawValue)
        }
        return (result, fitted, undetermined)
    }

    /// Per case, its predicted median with the spreads (`varying`) over its median without
    /// them (`steady`).
    static func medianShifts(_ cases: [CalibrationCase], varying: CostProfile, steady: CostProfile, cores: Int)
        -> [Double]
    {
        let varied = ProfileFit.predictAll(cases, profile: varying, cores: cores, samples: .tail)
        let alike = ProfileFit.predictAll(cases, profile: steady, cores: cores)
        return zip(varied, alike).map { $1.value > 0 && $0.value > 0 ? $0.value / $1.value : 1 }
    }

    static let knotFields: [CostProfile.Field] = [.idleWakeup100us, .idleWakeup1ms, .idleWakeup10ms]

    /// The wake-up's extra at each idle knot as first guessed: how much slower the median round
    /// trip is after that think time than back to back (one wake-up in it sees the idleness).
    static func initialIdleKnots(_ measurements: [CalibrationMeasurement]) -> (
        overrides: [CostProfile.Field: Double], undetermined: [(field: String, why: String)]
    ) {
        func knotCase(_ think: Int) -> CalibrationMeasurement? {
            measurements.first { $0.calibrationCase.isIdleKnotCase && $0.calibrationCase.thinkMicroseconds == think }
        }
        guard
            let backToBack = measurements.first(where: {
                var item = $0.calibrationCase
                guard item.thinkMicroseconds == 0 else { return false }
                item.thinkMicroseconds = CalibrationCase.idleKnots[0]
                return item.isIdleKnotCase
            }),
            CalibrationCase.idleKnots.allSatisfy({ knotCase($0) != nil })
        else {
            return (
                [:],
                [("idle_wakeup", "no round trips with think time were measured (full run only); kept the base's")]
            )
        }
        var overrides: [CostProfile.Field: Double] = [:]
        var floor = 0.0
        for (field, think) in zip(knotFields, CalibrationCase.idleKnots) {
            // Microseconds to picoseconds; never less than at a shorter idleness.
            floor = max(floor, (knotCase(think)!.measured - backToBack.measured) * 1e6)
            overrides[field] = floor.rounded()
        }
        return (overrides, [])
    }

    /// The idle knots corrected twice by what the simulation still misses of the think-time round
    /// trips' medians under `profile`; empty without those measurements.
    static func correctIdleKnots(_ measurements: [CalibrationMeasurement], profile: CostProfile, cores: Int)
        -> [CostProfile.Field: Double]
    {
        let cases = CalibrationCase.idleKnots.compactMap { think in
            measurements.first { $0.calibrationCase.isIdleKnotCase && $0.calibrationCase.thinkMicroseconds == think }
        }
        guard cases.count == knotFields.count else { return [:] }
        var knots = [
            profile.variability.idleWakeup.0, profile.variability.idleWakeup.1, profile.variability.idleWakeup.2,
        ].map { Double($0.picoseconds) }
        for _ in 0..<2 {
            var trial = profile
            trial.variability.idleWakeup = (
                .picoseconds(Int64(saturating: knots[0])), .picoseconds(Int64(saturating: knots[1])),
                .picoseconds(Int64(saturating: knots[2]))
            )
            let predicted = ProfileFit.predictAll(
                cases.map(\.calibrationCase), profile: trial, cores: cores, samples: .tail)
            var floor = 0.0
            for index in knots.indices {
                floor = max(floor, knots[index] + (cases[index].measured - predicted[index].value) * 1e6)
                knots[index] = floor.rounded()
            }
        }
        return Dictionary(uniqueKeysWithValues: zip(knotFields, knots))
    }
}
