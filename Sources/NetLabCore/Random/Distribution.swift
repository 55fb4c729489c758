import RealModule

/// A distribution of non-negative real values (sizes, delays), sampled from a ``RandomStream``.
///
/// Values are plain numbers; the caller gives them a unit (bytes, seconds) and rounds once, when
/// turning a draw into an integer size or duration.
public enum Distribution: Equatable, Sendable {
    /// Always `value`.
    case constant(Double)
    /// Uniform on [lower, upper).
    case uniform(lower: Double, upper: Double)
    /// Exponential with the given mean: the gaps of a Poisson process.
    case exponential(mean: Double)
    /// Normal (Gaussian); note it can produce negative values, which callers clamp or reject.
    case normal(mean: Double, standardDeviation: Double)
    /// Lognormal: `exp(N(mu, sigma²))`, where `mu` and `sigma` describe the underlying normal.
    case lognormal(mu: Double, sigma: Double)
    /// Pareto (type I) with minimum `scale` and tail index `shape`: heavy-tailed sizes.
    case pareto(scale: Double, shape: Double)
    /// Piecewise-linear inverse of a measured cumulative distribution.
    case empirical(EmpiricalCDF)

    /// One draw.
    /// - Complexity: O(1), except `.empirical`: O(log k) for k points.
    @inlinable
    public func sample(using random: inout RandomStream) -> Double {
        switch self {
        case .constant(let value):
            return value
        case .uniform(let lower, let upper):
            return lower + (upper - lower) * random.nextOpenUnit()
        case .exponential(let mean):
            return -mean * Double.log(random.nextOpenUnit())
        case .normal(let mean, let standardDeviation):
            return mean + standardDeviation * Self.standardNormal(using: &random)
        case .lognormal(let mu, let sigma):
            return Double.exp(mu + sigma * Self.standardNormal(using: &random))
        case .pareto(let scale, let shape):
            return scale * Double.pow(random.nextOpenUnit(), -1 / shape)
        case .empirical(let table):
            return table.value(atProbability: random.nextOpenUnit())
        }
    }

    /// A standard normal draw by the Box–Muller transform (Box and Muller, 1958), one of the pair:
    /// keeping the other would make the stream's position depend on call history.
    @inlinable
    static func standardNormal(using random: inout RandomStream) -> Double {
        let radius = (-2 * Double.log(random.nextOpenUnit())).squareRoot()
        return radius * Double.cos(2 * Double.pi * random.nextOpenUnit())
    }

    /// The theoretical mean, for reports and validation; nil where it is infinite (Pareto, shape ≤ 1).
    public var mean: Double? {
        switch self {
        case .constant(let value): return value
        case .uniform(let lower, let upper): return (lower + upper) / 2
        case .exponential(let mean): return mean
        case .normal(let mean, _): return mean
        case .lognormal(let mu, let sigma): return Double.exp(mu + sigma * sigma / 2)
        case .pareto(let scale, let shape): return shape > 1 ? shape * scale / (shape - 1) : nil
        case .empirical(let table): return table.mean
        }
    }
}
