import Foundation

@testable import NetLabTrace

/// Temporary files and external tools for the trace tests.
enum TraceTestSupport {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("netlab-\(UUID().uuidString)-\(name)").path
    }

    /// 198.18.0.0/15 addresses (the benchmarking range) as UInt32.
    static func address(_ last: UInt32) -> UInt32 { 0xC612_0000 | last }

    /// Writes a small capture: a TCP exchange (3 + 2 packets) and a UDP pair (2 packets), 1 ms apart.
    static func writeSample(to path: String) throws -> [[UInt8]] {
        let writer = try TraceWriter(path: path)
        let client = (address(1), UInt16(40000)), server = (address(2), UInt16(80))
        let dns = (address(3), UInt16(53)), resolver = (address(1), UInt16(50000))
        let frames: [[UInt8]] = [
            FrameBuilder.frame(
                proto: .tcp, source: client, destination: server, payloadLength: 0, sequence: 1, tcpFlags: 0x02),
            FrameBuilder.frame(
                proto: .tcp, source: server, destination: client, payloadLength: 0, sequence: 9, acknowledgement: 2,
                tcpFlags: 0x12),
            FrameBuilder.frame(
                proto: .tcp, source: client, destination: server, payloadLength: 120, sequence: 2, acknowledgement: 10,
                tcpFlags: 0x18),
            FrameBuilder.frame(proto: .udp, source: resolver, destination: dns, payloadLength: 40),
            FrameBuilder.frame(
                proto: .tcp, source: server, destination: client, payloadLength: 1200, sequence: 10,
                acknowledgement: 122, tcpFlags: 0x18),
            FrameBuilder.frame(proto: .udp, source: dns, destination: resolver, payloadLength: 90),
            FrameBuilder.frame(
                proto: .tcp, source: client, destination: server, payloadLength: 0, sequence: 122,
                acknowledgement: 1210, tcpFlags: 0x10),
        ]
        for (index, frame) in frames.enumerated() {
            frame.withUnsafeBytes {
                writer.write($0, timestampNanoseconds: 1_700_000_000_000_000_000 + Int64(index) * 1_000_000)
            }
        }
        try writer.close()
        return frames
    }

    static func tool(_ name: String) -> String? {
        for directory in ["/usr/bin", "/usr/local/bin", "/usr/sbin"]
        where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        return nil
    }

    /// Runs a program, returning its standard output.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// tshark's conversations of a file, as sorted "proto frames bytes" strings: every frame
    /// grouped by tshark's own `tcp.stream` / `udp.stream`.
    static func tsharkConversations(_ path: String) throws -> [String]? {
        guard let tshark = tool("tshark") else { return nil }
        let text = try run(
            tshark,
            [
                "-n", "-r", path, "-T", "fields", "-E", "separator=|", "-e", "frame.len", "-e", "tcp.stream", "-e",
                "udp.stream",
            ])
        var tallies: [String: (frames: Int, bytes: Int)] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            guard fields.count == 3, let length = Int(fields[0]) else { continue }
            for (proto, stream) in [("tcp", fields[1]), ("udp", fields[2])] where !stream.isEmpty {
                // A frame in a tunnel can carry two streams of one protocol ("3,7"); each counts.
                for id in stream.split(separator: ",") {
                    tallies["\(proto) \(id)", default: (0, 0)].frames += 1
                    tallies["\(proto) \(id)", default: (0, 0)].bytes += length
                }
            }
        }
        return tallies.map { "\($0.key.split(separator: " ")[0]) \($0.value.frames) \($0.value.bytes)" }.sorted()
    }

    static func netlabConversations(_ summary: TraceSummary) -> [String] {
        summary.conversations.map { "\($0.proto.name) \($0.packets) \($0.bytes)" }.sorted()
    }
}
