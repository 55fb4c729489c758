import Foundation
import NetLabCore
import Testing

@testable import NetLabModel

/// The per-connection records a cluster holds by the hundred thousand stay small: BBR's state
/// lives apart, and only connections that run BBR have it.
struct RecordSizeTests {
    @Test func aConnectionHalfCarriesNoBBRState() {
        // Nor the queues that fill only for moments (``HalfQueues``: 64 bytes).
        #expect(MemoryLayout<HalfConnection>.stride <= 256)
        // A segment in a sender's window carries no BBR delivery stamp either.
        #expect(MemoryLayout<HalfConnection.Segment>.stride == 32)
        #expect(MemoryLayout<Lane>.stride == 20)
    }

    @Test func onlyBBRConnectionsGetBBRState() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Examples/bulk-stream.json"
        ).standardized.path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let cubic = try TopologyReader.read(text, file: "bulk-stream.json")
        let run = GroupingRun(topology: cubic, grouping: 0, profile: .linuxDefault, seed: 1)
        #expect(run.pacers.isEmpty)
        #expect(run.halves.allSatisfy { $0.pacer < 0 })

        let bbr = try TopologyReader.read(
            text.replacingOccurrences(
                of: #""pattern": "stream""#, with: #""pattern": "stream", "congestion_control": "bbr""#),
            file: "bulk-stream.json")
        let paced = GroupingRun(topology: bbr, grouping: 0, profile: .linuxDefault, seed: 1)
        let streamHalves = paced.halves.indices.filter {
            paced.connections[$0 / 2].flow == bbr.flows.firstIndex { $0.name == "backup" }
        }
        #expect(!streamHalves.isEmpty && streamHalves.allSatisfy { paced.halves[$0].pacer >= 0 })
        #expect(paced.pacers.count == streamHalves.count)
    }

    /// A half holds a queue set only while one of its queues holds something: after forty flows
    /// of 1,000 calls/s between two nodes, the pool holds as many sets as halves were busy at
    /// once (15 when written: ACKs waiting out their jitter, segments in reassembly), well under
    /// one per half, and the halves that hold none are idle.
    @Test func idleHalvesHoldNoQueueSet() throws {
        let call =
            #"{ "from": "src", "to": "dst", "pattern": "rpc", "transport": "tcp", "request": "200B", "response": "2KiB", "rate": "1000/s" }"#
        let flows = (0..<40).map { index in
            call.replacingOccurrences(
                of: "{ ", with: #"{ "name": "f\#(index)", "#, options: [], range: call.range(of: "{ "))
        }
        let topology = try TopologyReader.read(
            Fixtures.twoNodes(flow: flows.joined(separator: ", "), duration: "50ms", profile: "linux-default"),
            file: "two-nodes.json")
        var run = GroupingRun(topology: topology, grouping: 0, profile: .linuxDefault, seed: 1)
        var simulation = Simulation<DefaultEventQueue>(expectedPendingEvents: 4096)
        run.start(&simulation)
        _ = simulation.run(until: .zero + .milliseconds(50), handler: &run)
        #expect(run.tallies.allSatisfy { $0.messages > 0 }, "every flow made calls")
        #expect(run.halves.count == 80)
        #expect(run.halfQueues.sets.count <= 20, "\(run.halfQueues.sets.count) queue sets for 80 halves")
        for half in run.halves.indices where run.halves[half].queues < 0 {
            #expect(run.queues(ofHalf: half).isIdle)
        }
        let holding = run.halves.filter { $0.queues >= 0 }.map(\.queues)
        #expect(Set(holding).count == holding.count, "no two halves share a set")
    }

    /// Flows that cross the same hops share one built path: twenty flows between the same two
    /// nodes hold no more hops than one, and flows the other way (whose calls cross the same
    /// hops, request and reply swapped) add none.
    @Test func flowsOnOneRouteShareTheirHops() throws {
        func hops(_ flows: [String]) throws -> Int {
            let named = flows.enumerated().map { index, flow in
                flow.replacingOccurrences(
                    of: "{ ", with: #"{ "name": "f\#(index)", "#, options: [], range: flow.range(of: "{ "))
            }
            let text = Fixtures.twoNodes(
                flow: named.joined(separator: ", "), duration: "50ms", profile: "linux-default")
            let topology = try TopologyReader.read(text, file: "two-nodes.json")
            return GroupingRun(topology: topology, grouping: 0, profile: .linuxDefault, seed: 1).hops.count
        }
        let call =
            #"{ "from": "src", "to": "dst", "pattern": "rpc", "transport": "tcp", "request": "200B", "response": "2KiB", "rate": "100/s" }"#
        let one = try hops([call])
        #expect(one > 0)
        #expect(try hops(Array(repeating: call, count: 20)) == one)
        let back = call.replacingOccurrences(of: #""from": "src", "to": "dst""#, with: #""from": "dst", "to": "src""#)
        let both = try hops(Array(repeating: call, count: 20) + Array(repeating: back, count: 20))
        #expect(both == one)
    }
}
