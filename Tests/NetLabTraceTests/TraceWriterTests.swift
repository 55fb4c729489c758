import Foundation
import Testing

@testable import NetLabTrace

@Suite struct TraceWriterTests {
    /// A capture appears under its name only when complete: until close() the packets go to a
    /// hidden file beside it, which a dropped writer or removeUnfinished() (a signal) deletes.
    @Test func aCaptureAppearsOnlyWhenComplete() throws {
        let path = TraceTestSupport.temporaryPath("whole.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let frame = FrameBuilder.frame(
            proto: .udp, source: (TraceTestSupport.address(1), 1000), destination: (TraceTestSupport.address(2), 53),
            payloadLength: 10)
        func partials() throws -> [String] {
            let folder = (path as NSString).deletingLastPathComponent
            let name = (path as NSString).lastPathComponent
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter {
                $0.hasPrefix(".\(name).partial-")
            }
        }
        do {
            let writer = try TraceWriter(path: path)
            frame.withUnsafeBytes { writer.write($0, timestampNanoseconds: 1_000) }
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try partials().count == 1)
            TraceWriter.removeUnfinished()
            #expect(try partials().isEmpty)
        }
        do {
            let writer = try TraceWriter(path: path)
            frame.withUnsafeBytes { writer.write($0, timestampNanoseconds: 1_000) }
        }
        #expect(!FileManager.default.fileExists(atPath: path), "a dropped writer published its file")
        #expect(try partials().isEmpty)
        let writer = try TraceWriter(path: path)
        frame.withUnsafeBytes { writer.write($0, timestampNanoseconds: 1_000) }
        try writer.close()
        #expect(try partials().isEmpty)
        let reader = try TraceReader(path: path)
        var packets = 0
        try reader.forEachPacket { _ in packets += 1 }
        #expect(packets == 1)
    }

    @Test func whatNetlabWritesNetlabReadsBack() throws {
        let path = TraceTestSupport.temporaryPath("sample.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let frames = try TraceTestSupport.writeSample(to: path)
        let summary = try TraceInspector.inspect(path: path)
        #expect(summary.packets == 7)
        #expect(summary.wireBytes == frames.reduce(0) { $0 + $1.count })
        #expect(summary.tcp == 5 && summary.udp == 2)
        #expect(summary.firstNanoseconds == 1_700_000_000_000_000_000)
        #expect(summary.lastNanoseconds == 1_700_000_000_006_000_000)
        let tcp = try #require(summary.conversations.first { $0.proto == .tcp })
        #expect(tcp.a.description == "198.18.0.1:40000" && tcp.b.description == "198.18.0.2:80")
        #expect(tcp.packetsAToB == 3 && tcp.packetsBToA == 2)
        #expect(tcp.payloadAToB == 120 && tcp.payloadBToA == 1200)
        #expect(tcp.messagesAToB == 1 && tcp.messagesBToA == 1)
        // SYN at 0 ms, SYN-ACK at 1 ms, the client's first ACK (with data) at 2 ms.
        #expect(tcp.handshakeRTTNanoseconds == 2_000_000)
        #expect(summary.conversations.first { $0.proto == .udp }?.handshakeRTTNanoseconds == nil)
    }

    @Test(.enabled(if: TraceTestSupport.tool("tshark") != nil, "tshark is not installed (apt-get install tshark)"))
    func tsharkReadsWhatNetlabWritesWithTheSameCounts() throws {
        let path = TraceTestSupport.temporaryPath("roundtrip.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try TraceTestSupport.writeSample(to: path)
        let summary = try TraceInspector.inspect(path: path)
        let tshark = try #require(try TraceTestSupport.tsharkConversations(path))
        #expect(tshark == TraceTestSupport.netlabConversations(summary))
        let frameCount = try TraceTestSupport.run(
            TraceTestSupport.tool("tshark")!, ["-n", "-r", path, "-T", "fields", "-e", "frame.number"]
        )
        .split(separator: "\n").count
        #expect(frameCount == summary.packets)
    }

    @Test(.enabled(if: TraceTestSupport.tool("tcpdump") != nil, "tcpdump is not installed (apt-get install tcpdump)"))
    func tcpdumpDecodesTheFramesNetlabBuilds() throws {
        let path = TraceTestSupport.temporaryPath("tcpdump.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try TraceTestSupport.writeSample(to: path)
        let text = try TraceTestSupport.run(TraceTestSupport.tool("tcpdump")!, ["-n", "-vv", "-r", path])
        #expect(text.contains("198.18.0.1.40000 > 198.18.0.2.80"))
        #expect(!text.contains("incorrect"), "checksums must be right: \(text)")
    }
}
