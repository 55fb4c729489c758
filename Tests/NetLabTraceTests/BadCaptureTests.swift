import Foundation
import Testing

@testable import NetLabTrace

/// Damaged and wrong files: a located error, never a crash, never a partial result passed off as whole.
@Suite struct BadCaptureTests {
    func expectError(_ path: String, kind: TraceError.Kind, mentioning words: [String]) {
        do {
            let summary = try TraceInspector.inspect(path: path)
            Issue.record("expected an error, got \(summary.packets) packets")
        } catch {
            #expect(error.kind == kind, "\(error)")
            #expect(error.description.hasPrefix(path))
            for word in words { #expect(error.description.contains(word), "\(error)") }
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func missingFile() {
        expectError("/nonexistent/trace.pcap", kind: .missingFile, mentioning: ["no such file"])
    }

    @Test func textFileIsNotACapture() throws {
        let path = TraceTestSupport.temporaryPath("notes.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "these are not packets\n".write(toFile: path, atomically: true, encoding: .utf8)
        expectError(path, kind: .notACapture, mentioning: ["not a pcap or pcapng file", "magic number 0x74686573"])
    }

    @Test func badMagicNumber() throws {
        let path = TraceTestSupport.temporaryPath("magic.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bytes = [UInt8](repeating: 0, count: 24)
        bytes[0...3] = [0xDE, 0xAD, 0xBE, 0xEF]
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        expectError(path, kind: .notACapture, mentioning: ["magic number 0xdeadbeef", "byte offset 0"])
    }

    @Test func emptyFileIsTooShort() throws {
        let path = TraceTestSupport.temporaryPath("empty.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data())
        expectError(path, kind: .notACapture, mentioning: ["too short"])
    }

    func le32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }

    /// A pcap with snap length 64 whose second record claims `length` captured (and wire) bytes.
    func writeOversizedRecord(length: UInt32, to path: String) -> Int {
        var bytes: [UInt8] = le32(0xA1B2_C3D4) + [2, 0, 4, 0] + le32(0) + le32(0) + le32(64) + le32(1)
        let frame = FrameBuilder.frame(
            proto: .udp, source: (TraceTestSupport.address(1), 1000), destination: (TraceTestSupport.address(2), 2000),
            payloadLength: 10)
        bytes += le32(1) + le32(0) + le32(UInt32(frame.count)) + le32(UInt32(frame.count)) + frame
        bytes += le32(2) + le32(0) + le32(length) + le32(length) + [UInt8](repeating: 0, count: Int(length))
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return 24 + 16 + frame.count
    }

    /// Beyond what libpcap accepts at all (262144 bytes): the file is corrupt from that record on.
    @Test func recordLongerThanLibpcapAccepts() throws {
        let path = TraceTestSupport.temporaryPath("huge.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let offset = writeOversizedRecord(length: 300_000, to: path)
        let summary = try TraceInspector.inspect(path: path)
        #expect(!summary.complete)
        #expect(summary.packets == 1, "the packet before the bad record is reported")
        let damage = try #require(summary.damage)
        #expect(damage.packet == 2)
        #expect(damage.byteOffset == Int64(offset))
        #expect(damage.problem.contains("longer than the file's snapshot length"))
    }

    /// Longer than the snap length but within libpcap's limit: libpcap keeps the first 64 bytes;
    /// netlab counts the packet and says which record was cut, rather than passing it silently.
    @Test func recordLongerThanTheSnapLengthIsCountedWithAWarning() throws {
        let path = TraceTestSupport.temporaryPath("snaplen.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let offset = writeOversizedRecord(length: 2000, to: path)
        let summary = try TraceInspector.inspect(path: path)
        #expect(summary.complete)
        #expect(summary.packets == 2)
        #expect(summary.capturedBytes == 52 + 64)
        let warning = try #require(summary.warnings.first { $0.contains("snapshot length 64") })
        #expect(warning.contains("first packet 2 (byte offset \(offset), 2000 bytes)"))
    }

    /// A file cut in the middle of its fourth record: the three before are reported, marked incomplete.
    @Test func fileCutMidRecord() throws {
        let whole = TraceTestSupport.temporaryPath("whole.pcap"), cut = TraceTestSupport.temporaryPath("cut.pcap")
        defer {
            try? FileManager.default.removeItem(atPath: whole)
            try? FileManager.default.removeItem(atPath: cut)
        }
        let frames = try TraceTestSupport.writeSample(to: whole)
        let data = try #require(FileManager.default.contents(atPath: whole))
        let fourthStart = 24 + frames.prefix(3).reduce(0) { $0 + 16 + $1.count }
        FileManager.default.createFile(atPath: cut, contents: data.prefix(fourthStart + 16 + 10))
        let summary = try TraceInspector.inspect(path: cut)
        #expect(summary.packets == 3)
        #expect(!summary.complete)
        #expect(summary.warnings.first?.hasPrefix("incomplete:") == true)
        let damage = try #require(summary.damage)
        #expect(damage.kind == .damaged)
        #expect(damage.packet == 4)
        #expect(damage.byteOffset == Int64(fourthStart))
        #expect(damage.problem.contains("cut short"))
    }

    /// A file cut inside its header has no packets to report: an error, not an empty summary.
    @Test func fileCutInsideTheHeader() throws {
        let whole = TraceTestSupport.temporaryPath("whole2.pcap"), cut = TraceTestSupport.temporaryPath("cut2.pcap")
        defer {
            try? FileManager.default.removeItem(atPath: whole)
            try? FileManager.default.removeItem(atPath: cut)
        }
        _ = try TraceTestSupport.writeSample(to: whole)
        let data = try #require(FileManager.default.contents(atPath: whole))
        FileManager.default.createFile(atPath: cut, contents: data.prefix(12))
        #expect(throws: TraceError.self) { try TraceInspector.inspect(path: cut) }
    }
}
