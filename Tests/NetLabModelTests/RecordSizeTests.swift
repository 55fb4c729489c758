import Foundation
import Testing

@testable import NetLabModel

/// The per-connection records a cluster holds by the hundred thousand stay small: BBR's state
/// lives apart, and only connections that run BBR have it.
struct RecordSizeTests {
    @Test func aConnectionHalfCarriesNoBBRState() {
        #expect(MemoryLayout<HalfConnection>.stride <= 352)
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
}
