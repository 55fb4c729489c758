import Foundation
import Testing

@testable import NetLabTrace

/// The bundled captures in `Traces/`: readable, with the conversations they were made to hold,
/// and grouped exactly as tshark groups them.
@Suite struct TracesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Traces")
    static let files = [
        "intra-pod-loopback.pcap", "pod-to-pod-http.pcap", "pod-to-pod-iperf.pcap", "pod-to-pod-sockperf.pcap",
        "pod-to-pod-ipv6.pcap",
    ]

    @Test(arguments: files)
    func traceIsCompleteAndSmall(name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        let summary = try TraceInspector.inspect(path: path)
        #expect(summary.complete)
        #expect(summary.packets > 100)
        #expect(!summary.conversations.isEmpty)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? .max
        #expect(size < 300_000, "captures stay a few hundred KB at most")
        #expect(FileManager.default.fileExists(atPath: path.replacingOccurrences(of: ".pcap", with: ".map.json")))
    }

    @Test func tracesHoldWhatTheScriptMade() throws {
        func summary(_ name: String) throws -> TraceSummary {
            try TraceInspector.inspect(path: Self.folder.appendingPathComponent(name).path)
        }
        let loopback = try summary("intra-pod-loopback.pcap")
        #expect(loopback.conversations.count == 1)
        #expect(loopback.conversations[0].b.description == "127.0.0.1:7000")
        #expect(loopback.conversations[0].messagesAToB == 50 && loopback.conversations[0].messagesBToA == 50)
        let http = try summary("pod-to-pod-http.pcap")
        #expect(http.conversations.count == 20)
        #expect(http.conversations.allSatisfy { $0.b.description == "198.18.0.2:8080" })
        let sockperf = try summary("pod-to-pod-sockperf.pcap")
        #expect(sockperf.conversations.count == 1 && sockperf.conversations[0].proto == .udp)
        let ipv6 = try summary("pod-to-pod-ipv6.pcap")
        #expect(ipv6.ipv6 == ipv6.packets)
        #expect(ipv6.conversations.allSatisfy { $0.b.description == "[2001:2::2]:8080" })
        let iperf = try summary("pod-to-pod-iperf.pcap")
        #expect(iperf.conversations.reduce(0) { $0 + $1.payloadAToB } >= 3 << 20, "the 3 MB burst")
    }

    /// The handshake round trip of every TCP conversation equals tshark's `tcp.analysis.initial_rtt`.
    @Test(
        .enabled(if: TraceTestSupport.tool("tshark") != nil, "tshark is not installed (apt-get install tshark)"),
        arguments: ["pod-to-pod-http.pcap", "pod-to-pod-ipv6.pcap", "intra-pod-loopback.pcap", "pod-to-pod-iperf.pcap"])
    func handshakeRoundTripsMatchTshark(name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        let text = try TraceTestSupport.run(
            TraceTestSupport.tool("tshark")!,
            ["-n", "-r", path, "-T", "fields", "-e", "tcp.stream", "-e", "tcp.analysis.initial_rtt"])
        var tshark: [Int: Int64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, let stream = Int(fields[0]), !fields[1].isEmpty, tshark[stream] == nil else {
                continue
            }
            tshark[stream] = Corpus.nanoseconds(String(fields[1]))
        }
        let summary = try TraceInspector.inspect(path: path)
        let tcp = summary.conversations.filter { $0.proto == .tcp }
        #expect(!tshark.isEmpty)
        #expect(tcp.count == tshark.count)
        for (stream, conversation) in tcp.enumerated() {
            #expect(conversation.handshakeRTTNanoseconds == tshark[stream], "stream \(stream)")
        }
    }

    @Test(
        .enabled(if: TraceTestSupport.tool("tshark") != nil, "tshark is not installed (apt-get install tshark)"),
        arguments: files)
    func conversationsMatchTshark(name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        let summary = try TraceInspector.inspect(path: path)
        let tshark = try #require(try TraceTestSupport.tsharkConversations(path))
        #expect(TraceTestSupport.netlabConversations(summary) == tshark)
    }
}
