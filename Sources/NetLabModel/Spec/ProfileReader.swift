import NetLabSpec

/// Resolves the cost profile for a run: a built-in name, or a profile file
/// (`{"base": "linux-default", "overrides": {"wakeup": "30us"}}`).
public enum ProfileReader {
    /// The built-in profile `name` with `overrides` applied, or nil if there is no such profile.
    public static func builtIn(_ name: String, overrides: [String: Double] = [:]) -> CostProfile? {
        CostProfile.builtIn[name].map { $0.applying(overrides) }
    }

    /// Reads a profile file (a calibrated one may also carry `provenance`, `fit` and `cases`).
    /// - Throws: ``SpecError`` naming the file, the place and the fix.
    public static func read(_ text: String, file: String) throws(SpecError) -> CostProfile {
        let reader = SpecReader(file: file)
        let root = try reader.parse(text)
        let (base, overrides) = try reader.profile(root, allowingCalibration: true)
        guard let profile = builtIn(base, overrides: overrides) else {
            throw SpecError(
                file: file, line: root.line, column: root.column, path: "base",
                problem: "unknown base profile \"\(base)\"",
                fix: "use one of \(CostProfile.builtIn.keys.sorted().joined(separator: ", "))")
        }
        return profile
    }
}

extension ProfileReader {
    /// A note for a calibrated profile file written before netlab modelled the host's spreads:
    /// its figures were fitted without them, and it now takes its base's spreads; nil for other
    /// files.
    public static func variabilityNote(_ text: String, profile: CostProfile, file: String) -> String? {
        let reader = SpecReader(file: file)
        guard !profile.variability.isDeterministic, let root = try? reader.parse(text),
            case .object(let members) = root.value, members.contains(where: { $0.key == "cases" }),
            let overrides = members.first(where: { $0.key == "overrides" })?.value,
            case .object(let fields) = overrides.value
        else { return nil }
        let spreads: Set<String> = [
            CostProfile.Field.workSigma.rawValue, CostProfile.Field.wakeupSigma.rawValue,
            CostProfile.Field.contextSwitchSigma.rawValue, CostProfile.Field.variability.rawValue,
        ]
        guard !fields.contains(where: { spreads.contains($0.key) }) else { return nil }
        return
            "\(file): calibrated before netlab modelled the host's spreads, so it takes its base's (tails from linux-default's figures); run 'netlab calibrate' again, or add \"variability\": \"off\" to its overrides for its old deterministic figures"
    }

    /// The measured cases of a file `netlab calibrate` wrote, to predict them again.
    /// - Throws: ``SpecError`` naming the file, the place and the fix.
    public static func measurements(_ text: String, file: String) throws(SpecError) -> [CalibrationMeasurement] {
        let reader = SpecReader(file: file)
        let root = try reader.parse(text)
        let top = try reader.object(root, "", what: "a calibrated profile")
        let fix = "give a file written by 'netlab calibrate --output FILE'"
        let items = try reader.array(try top.required("cases", fix: fix), "cases", what: "the measured cases")
        guard !items.isEmpty else { throw reader.fail(root, "cases", "no measured cases", fix: fix) }
        var measurements: [CalibrationMeasurement] = []
        for (index, item) in items.enumerated() {
            let path = "cases[\(index)]"
            let fields = try reader.object(item, path, what: "a measured case")
            func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(SpecError) -> T
            where T.RawValue == String {
                let node = try fields.required(key, fix: fix)
                let text = try reader.string(node, fields.child(key), what: key)
                guard let value = T(rawValue: text) else {
                    throw reader.fail(
                        node, fields.child(key), "unknown \(key) \"\(text)\"",
                        fix: "use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return value
            }
            let wait = try reader.string(try fields.required("wait", fix: fix), fields.child("wait"), what: "the wait")
            let calibrationCase = CalibrationCase(
                kind: try choice("kind", CalibrationCase.Kind.self),
                path: try choice("path", CalibrationCase.Path.self),
                transport: try choice("transport", CalibrationCase.Transport.self),
                size: try reader.integer(
                    try fields.required("size", fix: fix), fields.child("size"), what: "the size", range: 1...65_536),
                placement: try choice("placement", CalibrationCase.Placement.self), poll: wait == "poll",
                thinkMicroseconds: try fields.optional("think_us").map { node throws(SpecError) in
                    try reader.integer(node, fields.child("think_us"), what: "the think time", range: 0...1_000_000)
                } ?? 0,
                congestionControl: try fields.optional("congestion_control").map { _ throws(SpecError) in
                    try choice("congestion_control", CongestionControl.self)
                },
                shaper: try fields.optional("shaper").map { node throws(SpecError) in
                    try reader.tokenBucket(node, fields.child("shaper"))
                })
            let repetitionItems = try reader.array(
                try fields.required("repetitions", fix: fix), fields.child("repetitions"), what: "the repetitions")
            var repetitions: [Double] = []
            for (slot, value) in repetitionItems.enumerated() {
                repetitions.append(
                    try reader.real(
                        value, "\(fields.child("repetitions"))[\(slot)]", what: "a measurement", minimum: 1e-9,
                        maximum: 1e13))
            }
            guard !repetitions.isEmpty else {
                throw reader.fail(item, fields.child("repetitions"), "no repetitions", fix: fix)
            }
            var tails: [RoundTripTail] = []
            if let tailNode = fields.optional("tails") {
                let tailItems = try reader.array(tailNode, fields.child("tails"), what: "the tails per repetition")
                for (slot, tailItem) in tailItems.enumerated() {
                    let tailPath = "\(fields.child("tails"))[\(slot)]"
                    let quantiles = try reader.object(tailItem, tailPath, what: "a repetition's p90, p99 and p999")
                    func quantile(_ key: String) throws(SpecError) -> Double {
                        try reader.real(
                            try quantiles.required(key, fix: fix), quantiles.child(key), what: key, minimum: 1e-9,
                            maximum: 1e9)
                    }
                    tails.append(
                        RoundTripTail(p90: try quantile("p90"), p99: try quantile("p99"), p999: try quantile("p999")))
                }
                guard tails.count == repetitions.count else {
                    throw reader.fail(
                        tailNode, fields.child("tails"), "\(tails.count) tails for \(repetitions.count) repetitions",
                        fix: "give one tail per repetition, or none")
                }
            }
            measurements.append(
                CalibrationMeasurement(calibrationCase: calibrationCase, repetitions: repetitions, tails: tails))
        }
        return measurements
    }
}
