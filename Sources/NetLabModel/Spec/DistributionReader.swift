import NetLabCore
import NetLabSpec
import RealModule

extension SpecReader {
    /// The unit a distribution's values are written in.
    enum Quantity {
        case bytes, time

        var example: String { self == .bytes ? "512B" : "20us" }
        var what: String { self == .bytes ? "a size" : "a duration" }
    }

    /// A value in the quantity's base unit (bytes, or picoseconds), parsed from a string with a unit.
    /// - Throws: also for a message above 1 GiB or a time above 11.6 days, which a draw could
    ///   not be anyway (see `GroupingRun.largestMessage` and `longestDraw`).
    func baseValue(_ node: JSONNode, _ path: String, _ quantity: Quantity) throws(SpecError) -> Double {
        switch quantity {
        case .bytes:
            let value = Double(try bytes(node, path).bytes)
            guard value <= GroupingRun.largestMessage else {
                throw fail(
                    node, path, "a message of \(Int64(saturating: value))B is too large", fix: "give at most 1GiB")
            }
            return value
        case .time:
            let value = Double(try duration(node, path).picoseconds)
            guard value <= GroupingRun.longestDraw else {
                throw fail(
                    node, path, "\(try duration(node, path)) is too long", fix: "give at most 11.6 days (\"1000000s\")")
            }
            return value
        }
    }

    /// A distribution of sizes or durations, written as a constant (`"512B"`) or as an object with
    /// one key naming the family: `{"exp": "20us"}`, `{"uniform": ["64B", "1KiB"]}`,
    /// `{"normal": {"mean": "1KiB", "sd": "100B"}}`, `{"lognormal": {"median": "1KiB", "sigma": 1}}`,
    /// `{"pareto": {"min": "64B", "shape": 1.5}}`, `{"empirical": [["64B", 0.5], ["1500B", 1]]}`.
    func distribution(_ node: JSONNode, _ path: String, _ quantity: Quantity) throws(SpecError) -> Distribution {
        let forms =
            "write \"\(quantity.example)\" or one of {\"exp\": ...}, {\"uniform\": [lo, hi]}, {\"normal\": {\"mean\", \"sd\"}}, {\"lognormal\": {\"median\", \"sigma\"}}, {\"pareto\": {\"min\", \"shape\"}}, {\"empirical\": [[value, cumulative probability], ...]}"
        switch node.value {
        case .string, .number: return .constant(try baseValue(node, path, quantity))
        default: break
        }
        guard case .object(let members) = node.value, members.count == 1, let (family, body) = members.first else {
            throw fail(node, path, "expected \(quantity.what) or a distribution of them", fix: forms)
        }
        let bodyPath = "\(path).\(family)"
        switch family {
        case "const", "constant":
            return .constant(try baseValue(body, bodyPath, quantity))
        case "exp", "exponential":
            let mean = try baseValue(body, bodyPath, quantity)
            guard mean > 0 else {
                throw fail(body, bodyPath, "the mean must be positive", fix: "give a mean above zero")
            }
            return .exponential(mean: mean)
        case "uniform":
            let bounds = try array(body, bodyPath, what: "the bounds [low, high]")
            guard bounds.count == 2 else {
                throw fail(body, bodyPath, "uniform needs two bounds", fix: "write [low, high]")
            }
            let low = try baseValue(bounds[0], "\(bodyPath)[0]", quantity)
            let high = try baseValue(bounds[1], "\(bodyPath)[1]", quantity)
            guard high >= low else {
                throw fail(body, bodyPath, "the upper bound is below the lower", fix: "write [low, high]")
            }
            return .uniform(lower: low, upper: high)
        case "normal":
            let fields = try object(body, bodyPath, what: "the normal's parameters")
            try fields.rejectUnknownKeys(["mean", "sd"])
            let mean = try baseValue(try fields.required("mean", fix: "add \"mean\""), fields.child("mean"), quantity)
            let deviation = try baseValue(
                try fields.required("sd", fix: "add \"sd\" (standard deviation)"), fields.child("sd"), quantity)
            return .normal(mean: mean, standardDeviation: deviation)
        case "lognormal":
            let fields = try object(body, bodyPath, what: "the lognormal's parameters")
            try fields.rejectUnknownKeys(["median", "sigma"])
            let median = try baseValue(
                try fields.required("median", fix: "add \"median\""), fields.child("median"), quantity)
            guard median > 0 else {
                throw fail(body, bodyPath, "the median must be positive", fix: "give a median above zero")
            }
            let sigma = try real(
                try fields.required("sigma", fix: "add \"sigma\" (of the underlying normal)"), fields.child("sigma"),
                what: "sigma", minimum: 0, maximum: 10)
            return .lognormal(mu: Double.log(median), sigma: sigma)
        case "pareto":
            let fields = try object(body, bodyPath, what: "the Pareto's parameters")
            try fields.rejectUnknownKeys(["min", "shape"])
            let minimum = try baseValue(try fields.required("min", fix: "add \"min\""), fields.child("min"), quantity)
            guard minimum > 0 else {
                throw fail(body, bodyPath, "the minimum must be positive", fix: "give a minimum above zero")
            }
            let shape = try real(
                try fields.required("shape", fix: "add \"shape\" (tail index)"), fields.child("shape"), what: "shape",
                minimum: 0.01, maximum: 100)
            return .pareto(scale: minimum, shape: shape)
        case "empirical":
            let rows = try array(body, bodyPath, what: "the CDF points")
            var points: [(value: Double, probability: Double)] = []
            for (index, row) in rows.enumerated() {
                let rowPath = "\(bodyPath)[\(index)]"
                let pair = try array(row, rowPath, what: "a [value, cumulative probability] pair")
                guard pair.count == 2 else {
                    throw fail(
                        row, rowPath, "expected [value, cumulative probability]",
                        fix: "write e.g. [\"\(quantity.example)\", 0.5]")
                }
                points.append(
                    (
                        try baseValue(pair[0], "\(rowPath)[0]", quantity),
                        try real(pair[1], "\(rowPath)[1]", what: "a cumulative probability", minimum: 0, maximum: 1)
                    ))
            }
            do {
                return .empirical(try EmpiricalCDF(points: points))
            } catch {
                throw fail(
                    body, "\(bodyPath)[\(error.point)]", error.problem,
                    fix: "list points with increasing values and probabilities, ending at 1")
            }
        default:
            throw fail(node, path, "unknown distribution \"\(family)\"", fix: forms)
        }
    }
}
