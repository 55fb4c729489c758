import Foundation
import NetLabCore
import NetLabStats
import Testing

@testable import NetLabModel

/// Replications and their confidence intervals.
@Suite struct ReplicationTests {
    /// An M/D/1 queue (1000 B UDP messages through a 1 Gb/s NIC at ρ = 0.5, ideal profile), whose
    /// mean latency is known exactly: the 95% interval from 10 replications must contain it in
    /// about 95% of independent studies. 200 studies (seeds 1–200), each of 10 short replications.
    @Test func intervalsCoverTheTrueMeanAboutNinetyFivePercentOfTheTime() throws {
        let service = (1000.0 + 28 + 38) * 8  // ns at 1 Gb/s
        let load = 0.5
        let rate = load / (service * 1e-9)
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "1000B", "rate": "\#(String(format: "%.6f", rate))/s" }"#
        let topology = try Fixtures.topology(
            Fixtures.twoNodes(flow: flow, duration: "30ms", warmup: "2ms", receiverNICRate: "100Gbps"))
        // Pollaczek–Khinchine for the NIC, plus the 100 Gb/s port's serialisation and two 1 µs wires.
        let truth = load * service / (2 * (1 - load)) + service + service / 100 + 2_000
        var covered = 0
        let studies = 200
        for seed in 1...UInt64(studies) {
            let replicated = ReplicatedResult(
                Experiment.replicate(topology, groupings: [0], profile: .ideal, seed: seed, replications: 10))
            let interval = replicated.statistics(grouping: 0, flow: 0).meanLatencyNanoseconds
            if abs(interval.mean - truth) <= interval.halfWidth { covered += 1 }
        }
        let rate95 = Double(covered) / Double(studies)
        #expect(rate95 >= 0.93 && rate95 <= 0.97, "coverage \(covered)/\(studies)")
    }

    /// Replication 0 is the plain run; the rest have their own seeds; the outcome is the same
    /// whatever the number of cores (each run is its own deterministic simulation).
    @Test func replicationsAreSeededAndDeterministic() throws {
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": { "exp": "500B" }, "interval": { "exp": "20us" } }"#
        let topology = try Fixtures.topology(Fixtures.twoNodes(flow: flow, duration: "20ms"))
        let first = Experiment.replicate(topology, groupings: [0], profile: .ideal, seed: 7, replications: 3)
        let second = Experiment.replicate(topology, groupings: [0], profile: .ideal, seed: 7, replications: 3)
        let plain = Experiment.run(topology, groupings: [0], profile: .ideal, seed: 7)
        #expect(
            first[0].groupings[0].flows[0].latency.sumPicoseconds == plain.groupings[0].flows[0].latency.sumPicoseconds)
        #expect(
            first.map { $0.groupings[0].flows[0].latency.sumPicoseconds }
                == second.map { $0.groupings[0].flows[0].latency.sumPicoseconds })
        #expect(Set(first.map(\.seed)).count == 3)
        #expect(
            first[1].groupings[0].flows[0].latency.sumPicoseconds
                != first[0].groupings[0].flows[0].latency.sumPicoseconds)
    }
}
