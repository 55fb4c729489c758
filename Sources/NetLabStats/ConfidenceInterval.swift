/// The mean of independent replications and its 95% confidence interval (Student t), the way a
/// simulation study reports a metric: replications are independent runs, so their means are
/// independent samples of the metric.
public struct ConfidenceInterval: Sendable, Equatable {
    public var mean: Double
    /// Half the interval's width: the metric lies in mean ± halfWidth with 95% confidence.
    public var halfWidth: Double
    public var replications: Int

    /// The interval of `values` (at least one; with one the half-width is infinite).
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "a confidence interval of no values")
        replications = values.count
        let average = values.reduce(0, +) / Double(values.count)
        mean = average
        guard values.count > 1 else {
            halfWidth = .infinity
            return
        }
        let variance = values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(values.count - 1)
        halfWidth =
            Self.studentT975(degreesOfFreedom: values.count - 1) * (variance / Double(values.count)).squareRoot()
    }

    /// The 97.5% quantile of Student's t distribution (two-sided 95%), from the standard table,
    /// interpolated in 1/df between the tabulated degrees of freedom.
    static func studentT975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ]
        if df <= table.count { return table[df - 1] }
        let anchors: [(Double, Double)] = [(30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980), (.infinity, 1.960)]
        let x = 1 / Double(df)
        for (low, high) in zip(anchors, anchors.dropFirst()) where Double(df) <= high.0 {
            let xLow = 1 / low.0, xHigh = high.0.isInfinite ? 0 : 1 / high.0
            return low.1 + (x - xLow) / (xHigh - xLow) * (high.1 - low.1)
        }
        return 1.960
    }
}
