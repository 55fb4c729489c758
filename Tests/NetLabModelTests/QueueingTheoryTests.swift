import Foundation
import NetLabCore
import Testing

@testable import NetLabModel

/// The engine against queueing theory, under the `ideal` profile (no host costs): one UDP flow
/// from node a to node b with Poisson arrivals. Its bottleneck is a's NIC (1 Gb/s); the switch port
/// and b's NIC run at 100 Gb/s, so the only other parts of a message's latency are that port's serialisation
/// and two propagation delays of 1 µs. The mean sojourn at the bottleneck is compared with the
/// Pollaczek–Khinchine formula W = λE[S²] / (2(1 − ρ)) + E[S].
///
/// Sample sizes were chosen from the spread seen over several seeds: at these lengths the relative
/// error stayed within ±0.8% (runs of seeds 1–8), so the 2% bound is not a lucky seed.
@Suite struct QueueingTheoryTests {
    /// Frame of a 1000-byte UDP payload on the wire: IP 20 + UDP 8 + Ethernet 18 + preamble/gap 20.
    static let fixedFrameBytes = 1066.0
    static let nanosecondsPerByte = 8.0  // at 1 Gb/s

    func sojournAtBottleneck(_ result: SimulationResult, secondServiceMean: Double) throws -> (
        mean: Double, messages: Int64, queueing: Double
    ) {
        let flow = try #require(result.groupings.first?.flows.first)
        #expect(flow.lostMessages == 0 && flow.dropped == 0)
        // By stage: the wire's two links are all there is under `ideal`, their serialisation is
        // the service (both links), their propagation 2 µs, the rest queueing.
        let mean = flow.breakdown.mean
        #expect(mean[.propagation] == 2e6)
        #expect(
            abs(mean[.serialization]! + mean[.queueing]! - flow.latency.sumPicoseconds / Double(flow.messages) + 2e6)
                < 1)
        return (flow.latency.meanNanoseconds - secondServiceMean - 2_000, flow.messages, mean[.queueing]! / 1000)
    }

    @Test(arguments: [(0.5, "3s"), (0.8, "10s")])
    func fixedSizesMatchMD1(load: Double, duration: String) throws {
        let service = Self.fixedFrameBytes * Self.nanosecondsPerByte
        let rate = load / (service * 1e-9)
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "1000B", "rate": "\#(String(format: "%.6f", rate))/s" }"#
        let result = try Fixtures.run(Fixtures.twoNodes(flow: flow, duration: duration, receiverNICRate: "100Gbps"))
        let (measured, messages, queueing) = try sojournAtBottleneck(result, secondServiceMean: service / 100)
        let theory = load * service / (2 * (1 - load)) + service
        #expect(messages > 100_000)
        #expect(abs(measured / theory - 1) < 0.02, "M/D/1 at ρ=\(load): measured \(measured) ns, theory \(theory) ns")
        // The queueing stage is the wait before service, W − E[S] (the 100 Gb/s port adds a
        // little of its own), judged on the same scale as the sojourn.
        let waiting = theory - service
        #expect(
            abs(queueing - waiting) < 0.02 * theory, "M/D/1 at ρ=\(load): queueing \(queueing) ns, Wq \(waiting) ns")
    }

    /// Exponential payloads (mean 1000 B, MTU 65535 so none is split). The frame adds a fixed
    /// 66 B and pads to 64 B, so the service time is exponential plus a constant; E[S] and E[S²]
    /// are summed exactly over the integer sizes the engine draws (the exponential rounded, at
    /// least 1 byte) rather than taken from the pure M/M/1 formula, which would be off by the
    /// header overhead.
    @Test func exponentialSizesMatchMM1WithHeaderOverhead() throws {
        let load = 0.5
        let mean = 1000.0
        var firstMoment = 0.0, secondMoment = 0.0
        for size in 1..<60_000 {
            let low = size == 1 ? 0 : Double(size) - 0.5
            let probability = exp(-low / mean) - exp(-(Double(size) + 0.5) / mean)
            let service = (max(64, Double(size) + 46) + 20) * Self.nanosecondsPerByte
            firstMoment += probability * service
            secondMoment += probability * service * service
        }
        let arrivalsPerNanosecond = load / firstMoment
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": { "exp": "1000B" }, "rate": "\#(String(format: "%.6f", arrivalsPerNanosecond * 1e9))/s" }"#
        let result = try Fixtures.run(
            Fixtures.twoNodes(flow: flow, duration: "5s", receiverNICRate: "100Gbps", mtu: "65535B"))
        let (measured, messages, queueing) = try sojournAtBottleneck(result, secondServiceMean: firstMoment / 100)
        let theory = arrivalsPerNanosecond * secondMoment / (2 * (1 - load)) + firstMoment
        // Pure M/M/1 for the same mean service time, for scale: W = E[S] / (1 − ρ).
        let pureMM1 = firstMoment / (1 - load)
        #expect(messages > 100_000)
        #expect(
            abs(measured / theory - 1) < 0.02,
            "M/M/1(+overhead) at ρ=\(load): measured \(measured) ns, theory \(theory) ns, pure M/M/1 \(pureMM1) ns")
        let waiting = theory - firstMoment
        #expect(abs(queueing - waiting) < 0.02 * theory, "M/M/1: queueing \(queueing) ns, Wq \(waiting) ns")
    }

    /// Without load, a message's latency is exactly the sum of its serialisations and propagations.
    @Test(arguments: ["udp", "tcp"])
    func unloadedLatencyIsExactlySerialisationsPlusPropagation(transport: String) throws {
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "\#(transport)", "size": "1000B", "interval": "1ms" }"#
        let result = try Fixtures.run(
            Fixtures.twoNodes(
                flow: flow, duration: "50ms", nicRate: "10Gbps", receiverNICRate: "25Gbps", fabricRate: "25Gbps",
                latency: "3us"))
        let flowResult = try #require(result.groupings.first?.flows.first)
        let headers: Int64 = transport == "udp" ? 28 : 40
        let frame = 1000 + headers + 18 + 20
        let expected =
            BitRate(bitsPerSecond: 10_000_000_000).serializationTime(of: frame)
            + BitRate(bitsPerSecond: 25_000_000_000).serializationTime(of: frame) + .microseconds(6)
        #expect(flowResult.messages >= 39)
        #expect(flowResult.latency.minimumPicoseconds == expected.picoseconds)
        #expect(flowResult.latency.maximumPicoseconds == expected.picoseconds)
        // By stage, exactly the hand-computed costs: the two serialisations and 6 µs of distance.
        let mean = flowResult.breakdown.mean
        #expect(mean[.propagation] == 6e6)
        #expect(mean[.serialization] == Double(expected.picoseconds - 6_000_000))
        #expect(Stage.allCases.filter { ![.propagation, .serialization].contains($0) }.allSatisfy { mean[$0] == 0 })
    }
}
