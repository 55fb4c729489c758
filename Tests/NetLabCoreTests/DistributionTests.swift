import Foundation
import Testing

@testable import NetLabCore

/// Sample moments against theory. Tolerances come from the sample size, not from guesses: the
/// sample mean has standard error σ/√n and the sample variance sqrt((μ₄ − σ⁴)/n), where μ₄ is the
/// fourth central moment; each check allows 5 standard errors (a false alarm about once in 1.7
/// million runs, and the seeds are fixed).
@Suite struct DistributionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var distribution: Distribution
        /// E[X^k] for k = 1...4.
        var rawMoments: [Double]
        var testDescription: String { name }
    }

    static func lognormalRaw(_ mu: Double, _ sigma: Double) -> [Double] {
        (1...4).map { k in exp(Double(k) * mu + Double(k * k) * sigma * sigma / 2) }
    }

    static func empiricalRaw(_ points: [(Double, Double)]) -> [Double] {
        (1...4).map { k in
            var total = pow(points[0].0, Double(k)) * points[0].1
            for index in 1..<points.count {
                let (a, p0) = points[index - 1], (b, p1) = points[index]
                let weight = p1 - p0
                total +=
                    a == b
                    ? weight * pow(a, Double(k))
                    : weight * (pow(b, Double(k + 1)) - pow(a, Double(k + 1))) / (Double(k + 1) * (b - a))
            }
            return total
        }
    }

    static func uniformRaw(_ lower: Double, _ upper: Double) -> [Double] {
        (1...4).map { (k: Int) -> Double in
            let power = Double(k + 1)
            return (pow(upper, power) - pow(lower, power)) / (power * (upper - lower))
        }
    }

    static func paretoRaw(_ shape: Double) -> [Double] {
        (1...4).map { (k: Int) -> Double in shape / (shape - Double(k)) }
    }

    static let empiricalPoints: [(Double, Double)] = [(64, 0.2), (512, 0.7), (1500, 0.95), (9000, 1)]

    static let cases: [Case] = [
        Case(name: "constant", distribution: .constant(3), rawMoments: [3, 9, 27, 81]),
        Case(name: "uniform", distribution: .uniform(lower: 2, upper: 6), rawMoments: uniformRaw(2, 6)),
        Case(name: "exponential", distribution: .exponential(mean: 2), rawMoments: [2, 8, 48, 384]),
        Case(
            name: "normal", distribution: .normal(mean: 10, standardDeviation: 2),
            rawMoments: [10, 104, 1120, 12_448]),
        Case(name: "lognormal", distribution: .lognormal(mu: 1, sigma: 0.25), rawMoments: lognormalRaw(1, 0.25)),
        Case(
            name: "pareto", distribution: .pareto(scale: 1, shape: 6),
            rawMoments: paretoRaw(6)),
        Case(
            name: "empirical",
            distribution: .empirical(try! EmpiricalCDF(points: empiricalPoints.map { ($0.0, $0.1) })),
            rawMoments: empiricalRaw(empiricalPoints)),
    ]

    @Test(arguments: cases)
    func sampleMeanAndVarianceMatchTheory(_ testCase: Case) {
        let n = 400_000
        var random = RandomStream(seed: 2024, streamName: testCase.name)
        var sum = 0.0, sumOfSquares = 0.0
        for _ in 0..<n {
            let x = testCase.distribution.sample(using: &random)
            sum += x
            sumOfSquares += x * x
        }
        let count = Double(n)
        let mean = sum / count
        let variance = (sumOfSquares - sum * sum / count) / (count - 1)

        let m = testCase.rawMoments
        let theoreticalMean = m[0]
        let theoreticalVariance = m[1] - m[0] * m[0]
        let fourthCentral = m[3] - 4 * m[0] * m[2] + 6 * m[0] * m[0] * m[1] - 3 * pow(m[0], 4)
        let meanTolerance = 5 * (theoreticalVariance / count).squareRoot() + 1e-12 * abs(theoreticalMean)
        let varianceTolerance =
            5 * (max(fourthCentral - theoreticalVariance * theoreticalVariance, 0) / count).squareRoot()
            + 1e-9 * abs(theoreticalVariance) + 1e-9

        #expect(abs(mean - theoreticalMean) <= meanTolerance, "mean \(mean) vs \(theoreticalMean) ± \(meanTolerance)")
        #expect(
            abs(variance - theoreticalVariance) <= varianceTolerance,
            "variance \(variance) vs \(theoreticalVariance) ± \(varianceTolerance)")
        if let declared = testCase.distribution.mean {
            #expect(abs(declared - theoreticalMean) <= 1e-9 * max(1, abs(theoreticalMean)))
        }
    }

    @Test func empiricalTablesAreValidated() {
        #expect(throws: EmpiricalCDF.InvalidTable.self) { try EmpiricalCDF(points: []) }
        #expect(throws: EmpiricalCDF.InvalidTable.self) { try EmpiricalCDF(points: [(10, 0.5), (5, 1)]) }
        #expect(throws: EmpiricalCDF.InvalidTable.self) { try EmpiricalCDF(points: [(10, 0.5), (20, 0.4), (30, 1)]) }
        #expect(throws: EmpiricalCDF.InvalidTable.self) { try EmpiricalCDF(points: [(10, 0.5), (20, 0.9)]) }
    }

    @Test func samplesAreReproducible() {
        var a = RandomStream(seed: 1, streamName: "x")
        var b = RandomStream(seed: 1, streamName: "x")
        let distribution = Distribution.lognormal(mu: 6, sigma: 1)
        for _ in 0..<1000 {
            #expect(distribution.sample(using: &a).bitPattern == distribution.sample(using: &b).bitPattern)
        }
    }
}
