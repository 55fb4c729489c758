/// A measured distribution given as points of its cumulative distribution function, sampled by
/// inverting it with linear interpolation between points (so values between measured ones occur).
public struct EmpiricalCDF: Equatable, Sendable {
    /// Values in increasing order.
    public let values: [Double]
    /// Cumulative probabilities, non-decreasing, the last one exactly 1.
    public let probabilities: [Double]

    /// Why a table cannot be a CDF.
    public struct InvalidTable: Error, Equatable, Sendable, CustomStringConvertible {
        /// Index of the offending point.
        public var point: Int
        public var problem: String
        public var description: String { "point \(point): \(problem)" }
    }

    /// A CDF through `points` (value, cumulative probability). The first probability may be above
    /// zero: that mass sits on the first value.
    /// - Throws: ``InvalidTable`` if there are no points, values decrease, probabilities decrease
    ///   or leave [0, 1], or the last probability is not 1.
    public init(points: [(value: Double, probability: Double)]) throws(InvalidTable) {
        guard !points.isEmpty else {
            throw InvalidTable(point: 0, problem: "an empirical CDF needs at least one point")
        }
        for (index, point) in points.enumerated() {
            guard point.value.isFinite, point.probability >= 0, point.probability <= 1 else {
                throw InvalidTable(point: index, problem: "probability must lie in [0, 1] and the value be finite")
            }
            if index > 0 {
                guard point.value >= points[index - 1].value else {
                    throw InvalidTable(point: index, problem: "values must not decrease")
                }
                guard point.probability >= points[index - 1].probability else {
                    throw InvalidTable(point: index, problem: "cumulative probabilities must not decrease")
                }
            }
        }
        guard points.last!.probability == 1 else {
            throw InvalidTable(point: points.count - 1, problem: "the last cumulative probability must be 1")
        }
        values = points.map(\.value)
        probabilities = points.map(\.probability)
    }

    /// The value at cumulative probability `u` (0 < u < 1).
    /// - Complexity: O(log k) for k points.
    @inlinable
    public func value(atProbability u: Double) -> Double {
        // First point whose cumulative probability reaches u.
        var low = 0
        var high = probabilities.count - 1
        while low < high {
            let middle = (low + high) / 2
            if probabilities[middle] < u { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return values[0] }
        let p0 = probabilities[low - 1]
        let p1 = probabilities[low]
        let fraction = p1 > p0 ? (u - p0) / (p1 - p0) : 1
        return values[low - 1] + fraction * (values[low] - values[low - 1])
    }

    /// The mean of the interpolated distribution.
    public var mean: Double {
        var total = values[0] * probabilities[0]
        for index in 1..<values.count {
            total += (probabilities[index] - probabilities[index - 1]) * (values[index - 1] + values[index]) / 2
        }
        return total
    }
}
