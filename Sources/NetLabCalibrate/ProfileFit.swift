import Foundation
import NetLabCore
import NetLabModel

/// Chooses a profile's host figures so that netlab's predictions of the training cases match
/// their measurements: the squared log error summed over the cases is minimised over the
/// logarithms of the parameters by Levenberg–Marquardt, with the Jacobian taken by finite
/// differences of the simulator itself (a round trip is close to a sum of costs, so a few steps
/// suffice).
///
/// A parameter is a figure, or figures kept in their base ratio where the measurements cannot
/// tell them apart (a send call from its stack work, veth from bridge). Parameters no training
/// case depends on are left at the base and reported as undetermined.
public enum ProfileFit {
    /// One fitted quantity and the profile fields it sets, each as a multiple of it.
    struct Parameter {
        var name: String
        var fields: [(CostProfile.Field, Double)]
        var why: String
    }

    static let parameters: [Parameter] = [
        Parameter(name: "wakeup", fields: [(.wakeup, 1)], why: "round trips with the processes on two cores, blocking"),
        Parameter(
            name: "uds_wakeup", fields: [(.udsWakeup, 1)],
            why: "Unix stream socket round trips with the processes on two cores, blocking"),
        Parameter(name: "context_switch", fields: [(.contextSwitch, 1)], why: "round trips on one core"),
        Parameter(
            name: "tcp (socket calls, stack 1.2× each)",
            fields: [(.socketSend, 1), (.socketReceive, 1), (.stackTransmit, 1.2), (.stackReceive, 1.2)],
            why: "TCP round trips"),
        Parameter(name: "copy_per_byte", fields: [(.copyPerByte, 1)], why: "TCP and UDP round trips of 16 KiB"),
        Parameter(name: "cold_copy_per_byte", fields: [(.coldCopyPerByte, 1)], why: "the in-pod TCP stream"),
        Parameter(
            name: "remote_copy_per_byte", fields: [(.remoteCopyPerByte, 1)],
            why: "round trips of 16 KiB on two cores against one core"),
        Parameter(
            name: "udp (calls and stack)",
            fields: [(.udpSend, 1), (.udpReceive, 1), (.udpStackTransmit, 1), (.udpStackReceive, 1)],
            why: "UDP round trips"),
        Parameter(name: "uds", fields: [(.udsSend, 1), (.udsReceive, 1)], why: "Unix socket round trips"),
        Parameter(name: "uds_copy_per_byte", fields: [(.udsCopyPerByte, 1)], why: "Unix socket round trips of 16 KiB"),
        Parameter(name: "pipe", fields: [(.pipeWrite, 1), (.pipeRead, 1)], why: "pipe round trips"),
        Parameter(name: "pipe_copy_per_byte", fields: [(.pipeCopyPerByte, 1)], why: "pipe round trips of 16 KiB"),
        Parameter(name: "shm", fields: [(.shmWrite, 1), (.shmRead, 1)], why: "shared-memory round trips"),
        Parameter(
            name: "shm_copy_per_byte", fields: [(.shmCopyPerByte, 1)], why: "shared-memory round trips of 16 KiB"),
        Parameter(
            name: "veth and bridge (1 : 1.5)", fields: [(.vethPerPacket, 1), (.bridgePerPacket, 1.5)],
            why: "round trips through the bridge"),
        Parameter(
            name: "nic (transmit = receive)", fields: [(.nicTransmit, 1), (.nicReceive, 1)],
            why: "round trips over the routed veth pair"),
        Parameter(name: "vxlan_per_packet", fields: [(.vxlanPerPacket, 1)], why: "round trips over VXLAN"),
    ]

    /// Fields calibration sets without fitting, and why.
    static let fixed: [(CostProfile.Field, Double, String)] = [
        (
            .netfilterPerPacket, 0,
            "the measured bridge has no kube-proxy or conntrack rules; set it for clusters with Services"
        ),
        (.nicInterruptDelay, 0, "a veth pair has no interrupt coalescing; a real NIC's is its rx-usecs"),
    ]

    public struct Outcome: Sendable {
        public var profile: CostProfile
        /// Field overrides on the base, as values of ``CostProfile/Field``.
        public var overrides: [String: Double]
        public var fitted: [String]
        public var undetermined: [(field: String, why: String)]
    }

    /// Fits `base` to the training cases of `measurements` on a host of `cores` cores: the host
    /// figures to the round trips' medians with nothing varying (every round trip alike, so a few
    /// suffice), then the spreads to their p99s (``SpreadFit``), then the figures once more, to
    /// the medians less the shift the spreads cause (a sum of skewed costs has its median above
    /// the sum of medians), and last the wake-up's growth with idleness to the round trips with
    /// think time.
    public static func fit(
        _ measurements: [CalibrationMeasurement], base: CostProfile, cores: Int, iterations: Int = 30
    ) -> Outcome {
        let training = measurements.filter {
            $0.calibrationCase.isTraining && $0.measured > 0 && $0.measured.isFinite
                && $0.calibrationCase.thinkMicroseconds == 0 && $0.calibrationCase.placement != .unpinned
        }
        var fixedOverrides: [String: Double] = [:]
        for (field, value, _) in fixed { fixedOverrides[field.rawValue] = value }
        if let host = hostCongestionControl(measurements) {
            fixedOverrides[CostProfile.Field.congestionControl.rawValue] = host.number
        }
        var undetermined: [(field: String, why: String)] = []
        let idle = SpreadFit.initialIdleKnots(measurements)
        for (field, value) in idle.overrides { fixedOverrides[field.rawValue] = value }
        undetermined += idle.undetermined
        var steady = fixedOverrides
        for group in SpreadFit.groups { steady[group.field.rawValue] = 0 }
        var medians = fitMedians(
            training, targets: training.map(\.measured), base: base, fixedOverrides: steady, start: nil, cores: cores,
            iterations: iterations)
        let spreads = SpreadFit.fitSpreads(
            measurements, profile: { base.applying(medians.overrides.merging($0) { _, new in new }) }, cores: cores)
        for group in SpreadFit.groups {
            fixedOverrides[group.field.rawValue] = spreads.overrides[group.field] ?? spread(group.field, in: base)
        }
        undetermined += spreads.undetermined
        // The shifts depend a little on the figures: twice is enough for them to settle.
        for _ in 0..<2 {
            let shifts = SpreadFit.medianShifts(
                training.map(\.calibrationCase),
                varying: base.applying(medians.overrides.merging(fixedOverrides) { $1 }),
                steady: base.applying(medians.overrides), cores: cores)
            medians = fitMedians(
                training, targets: zip(training, shifts).map { $0.measured / $1 }, base: base, fixedOverrides: steady,
                start: medians.logValues, active: medians.active, cores: cores, iterations: max(1, iterations / 3))
        }
        var result = medians.overrides.merging(fixedOverrides) { $1 }
        let knots = SpreadFit.correctIdleKnots(measurements, profile: base.applying(result), cores: cores)
        for (field, value) in knots { result[field.rawValue] = value }
        let wakeups = wakePlacement(measurements, profile: base.applying(result), cores: cores)
        if let bits = wakeups { result[CostProfile.Field.affineWakeups.rawValue] = Double(bits) }
        let fitted =
            medians.active.map { parameters[$0].name } + spreads.fitted + (knots.isEmpty ? [] : ["idle_wakeup"])
            + (wakeups == nil ? [] : [CostProfile.Field.affineWakeups.rawValue])
        undetermined =
            parameters.indices.filter { !medians.active.contains($0) }
            .map { (field: parameters[$0].name, why: "no training case measured it (\(parameters[$0].why))") }
            + undetermined + fixed.map { (field: $0.0.rawValue, why: "set to 0: \($0.2)") }
        var profile = base.applying(result)
        profile.name = "calibrated"
        return Outcome(profile: profile, overrides: result, fitted: fitted, undetermined: undetermined)
    }

    /// Where the host wakes an unpinned reader, per transport: for each transport whose unpinned
    /// round trip was measured, the choice (on the waker's core, or on another with an interrupt)
    /// whose prediction is nearer the measurement; the others keep `profile`'s. Nil when no
    /// unpinned round trip was measured.
    static func wakePlacement(_ measurements: [CalibrationMeasurement], profile: CostProfile, cores: Int) -> UInt8? {
        let unpinned = measurements.filter {
            $0.calibrationCase.kind == .roundTrip && $0.calibrationCase.placement == .unpinned
                && $0.calibrationCase.thinkMicroseconds == 0 && $0.measured > 0 && $0.measured.isFinite
                && modelTransport($0.calibrationCase.transport) != nil
        }
        guard !unpinned.isEmpty else { return nil }
        var affine = profile, elsewhere = profile
        affine.affineWakeups = CostProfile.allTransportBits
        elsewhere.affineWakeups = 0
        let cases = unpinned.map(\.calibrationCase)
        let onWaker = predictAll(cases, profile: affine, cores: cores)
        let onOther = predictAll(cases, profile: elsewhere, cores: cores)
        var bits = profile.affineWakeups
        for (index, measurement) in unpinned.enumerated() {
            let transport = modelTransport(measurement.calibrationCase.transport)!
            let wakerError = abs(log(onWaker[index].value / measurement.measured))
            let otherError = abs(log(onOther[index].value / measurement.measured))
            if wakerError <= otherError { bits |= 1 << transport.bit } else { bits &= ~(1 << transport.bit) }
        }
        return bits
    }

    /// The model's transport for a measured one (spinning shared memory has no wake-ups: nil).
    static func modelTransport(_ transport: CalibrationCase.Transport) -> Transport? {
        switch transport {
        case .tcp: .tcp
        case .udp: .udp
        case .uds: .uds
        case .udsDatagram: .udsDatagram
        case .pipe: .pipe
        case .shmFutex: .shm
        case .shmSpin: nil
        }
    }

    /// The host's default congestion control, as the streams tell it: TCP streams are measured
    /// under CUBIC and, where the default differs, under the default too (nil for measurements
    /// that name none).
    static func hostCongestionControl(_ measurements: [CalibrationMeasurement]) -> CongestionControl? {
        let named = measurements.compactMap(\.calibrationCase.congestionControl)
        return named.first { $0 != .cubic } ?? named.first
    }

    /// The host figures that minimise the squared log error of the training medians, with
    /// `fixedOverrides` held: the overrides (fixed ones included), the parameters' logarithms and
    /// which parameters some case moved.
    /// A later pass starts from an earlier one's `start` and keeps its `active` parameters (one
    /// fitted to a tiny figure moves no case any more, yet stays fitted).
    static func fitMedians(
        _ training: [CalibrationMeasurement], targets medians: [Double], base: CostProfile,
        fixedOverrides: [String: Double], start: [Double]?, active earlier: [Int]? = nil, cores: Int, iterations: Int
    ) -> (overrides: [String: Double], logValues: [Double], active: [Int]) {
        let cases = training.map(\.calibrationCase)
        let targets = medians.map { log($0) }
        func overrides(_ logValues: [Double]) -> [String: Double] {
            var all = fixedOverrides
            for (parameter, logValue) in zip(parameters, logValues) {
                for (field, ratio) in parameter.fields {
                    all[field.rawValue] = max(1, (exp(logValue) * ratio).rounded())
                }
            }
            return all
        }
        func residuals(_ logValues: [Double]) -> [Double] {
            let predicted = predictAll(cases, profile: base.applying(overrides(logValues)), cores: cores).map(\.value)
            return zip(predicted, targets).map { log(max($0, 1e-12)) - $1 }
        }
        var current =
            start
            ?? parameters.map { parameter in
                // From at least 10 ps: a figure of 0 or 1 ps rounds a small step away, and no case
                // would seem to move with it.
                log(max(10, Double(value(of: parameter.fields[0].0, in: base)) / parameter.fields[0].1))
            }
        // A parameter is fitted when some training case moves with it.
        var residual = residuals(current)
        var jacobian = Array(repeating: [Double](), count: parameters.count)
        func differentiate() {
            for index in parameters.indices {
                var moved = current
                moved[index] += 0.05
                jacobian[index] = zip(residuals(moved), residual).map { ($0 - $1) / 0.05 }
            }
        }
        differentiate()
        let active = earlier ?? parameters.indices.filter { jacobian[$0].contains { abs($0) > 1e-6 } }
        var damping = 1e-3
        var cost = residual.reduce(0) { $0 + $1 * $1 }
        for iteration in 0..<iterations {
            if iteration > 0 { differentiate() }
            // Normal equations (JᵀJ + λ diag(JᵀJ)) Δ = −Jᵀr over the active parameters.
            let n = active.count
            guard n > 0 else { break }
            var normal = Array(repeating: Array(repeating: 0.0, count: n), count: n)
            var gradient = Array(repeating: 0.0, count: n)
            for (a, i) in active.enumerated() {
                for (b, j) in active.enumerated() {
                    normal[a][b] = zip(jacobian[i], jacobian[j]).reduce(0) { $0 + $1.0 * $1.1 }
                }
                gradient[a] = zip(jacobian[i], residual).reduce(0) { $0 + $1.0 * $1.1 }
            }
            var improved = false
            for _ in 0..<8 {
                var system = normal
                for a in 0..<n { system[a][a] += damping * max(normal[a][a], 1e-9) }
                let step = solve(system, gradient.map { -$0 })
                var trial = current
                for (a, i) in active.enumerated() { trial[i] = min(trial[i] + max(-2, min(2, step[a])), log(1e9)) }
                let trialResidual = residuals(trial)
                let trialCost = trialResidual.reduce(0) { $0 + $1 * $1 }
                if trialCost < cost {
                    current = trial
                    residual = trialResidual
                    let gain = cost - trialCost
                    cost = trialCost
                    damping = max(damping / 3, 1e-7)
                    improved = gain > 1e-10 * max(cost, 1e-12)
                    break
                }
                damping *= 4
            }
            if !improved { break }
        }
        var result = fixedOverrides
        for index in active {
            for (field, ratio) in parameters[index].fields {
                result[field.rawValue] = max(1, (exp(current[index]) * ratio).rounded())
            }
        }
        return (result, current, active)
    }

    /// Solves `matrix` · x = `vector` by Gaussian elimination with partial pivoting.
    static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double] {
        var a = matrix, b = vector
        let n = b.count
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            guard abs(a[column][column]) > 1e-300 else { continue }
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = Array(repeating: 0.0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<n { sum -= a[row][k] * x[k] }
            x[row] = abs(a[row][row]) > 1e-300 ? sum / a[row][row] : 0
        }
        return x
    }

    /// Predictions of `cases`, computed on all cores (each case is its own simulation).
    public static func predictAll(
        _ cases: [CalibrationCase], profile: CostProfile, cores: Int, samples: CasePrediction.Samples = .few
    ) -> [CasePrediction.Prediction] {
        parallelMap(count: cases.count) { index in
            CasePrediction.predict(cases[index], profile: profile, cores: cores, samples: samples)
        }
    }

    /// A spread's value in `profile`.
    static func spread(_ spread: CostProfile.Field, in profile: CostProfile) -> Double {
        switch spread {
        case .workSigma: profile.variability.workSigma
        case .wakeupSigma: profile.variability.wakeupSigma
        case .contextSwitchSigma: profile.variability.contextSwitchSigma
        default: preconditionFailure("\(spread) is not a spread")
        }
    }

    /// A field's value in picoseconds (durations) or its number.
    static func value(of field: CostProfile.Field, in profile: CostProfile) -> Int64 {
        switch field {
        case .wakeup: profile.wakeup.picoseconds
        case .udsWakeup: profile.wakeup(on: .uds).picoseconds
        case .contextSwitch: profile.contextSwitch.picoseconds
        case .socketSend: profile.socketSend.picoseconds
        case .copyPerByte: profile.copyPerByte.picoseconds
        case .coldCopyPerByte: profile.coldCopyPerByte.picoseconds
        case .remoteCopyPerByte: profile.remoteCopyPerByte.picoseconds
        case .udpSend: profile.udpSend.picoseconds
        case .udsSend: profile.udsSend.picoseconds
        case .udsCopyPerByte: profile.udsCopyPerByte.picoseconds
        case .pipeWrite: profile.pipeWrite.picoseconds
        case .pipeCopyPerByte: profile.pipeCopyPerByte.picoseconds
        case .shmWrite: profile.shmWrite.picoseconds
        case .shmCopyPerByte: profile.shmCopyPerByte.picoseconds
        case .vethPerPacket: profile.vethPerPacket.picoseconds
        case .nicTransmit: profile.nicTransmit.picoseconds
        case .vxlanPerPacket: profile.vxlanPerPacket.picoseconds
        case .pacingTimerDelay: profile.pacingTimerDelay.picoseconds
        default: preconditionFailure("\(field) is not a fitted parameter's first field")
        }
    }
}
