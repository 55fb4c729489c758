import Foundation
import Testing

@testable import NetLabTrace

/// Every capture of the shared public corpus (`../shared/pcap-corpus`, or `NETLAB_PCAP_CORPUS`)
/// against the counts tshark and libpcap computed for it (`REFERENCE.json`).
@Suite(.enabled(if: Corpus.location != nil, "the pcap corpus is not at ../shared/pcap-corpus (set NETLAB_PCAP_CORPUS)"))
struct CorpusTests {
    struct Entry: Sendable, CustomTestStringConvertible {
        var path: String
        var reference: [String: any Sendable]
        var testDescription: String { path }
    }

    static var entries: [Entry] {
        guard let location = Corpus.location,
            let data = FileManager.default.contents(atPath: location + "/REFERENCE.json"),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let files = root["files"] as? [String: [String: Any]]
        else { return [] }
        return files.keys.sorted().map { Entry(path: $0, reference: files[$0]!.mapValues { Corpus.sendable($0) }) }
    }

    @Test func theCorpusHasSixtyFiles() {
        #expect(Self.entries.count == 60)
    }

    @Test(arguments: entries)
    func countsMatchTheReference(_ entry: Entry) throws {
        let summary = entry.reference["summary"] as! [String: any Sendable]
        let libpcap = entry.reference["libpcap"] as! [String: any Sendable]
        let tsharkReads = summary["tshark_reads_ok"] as! Bool
        let libpcapReads = summary["libpcap_reads_ok"] as! Bool
        let path = Corpus.location! + "/" + entry.path

        guard libpcapReads else {
            // libpcap refuses the file (or part of it): netlab must fail with a located error, or
            // report the packets before the damage as incomplete. Never crash, never miscount.
            do {
                let result = try TraceInspector.inspect(path: path)
                #expect(!result.complete, "libpcap stops on this file, so the result must be marked incomplete")
                #expect(result.damage != nil)
                #expect(result.packets == (libpcap["packets"] as? Int ?? -1), "packets read before the damage")
                #expect(result.warnings.contains { $0.hasPrefix("incomplete:") })
            } catch {
                #expect(error.description.hasPrefix(path), "\(error)")
                if (error.description.contains("interface")) {
                    #expect(error.kind == .unsupported)
                    #expect(error.fix.contains("split it per interface"))
                }
            }
            return
        }
        #expect(tsharkReads)
        let result = try TraceInspector.inspect(path: path)
        #expect(result.complete)
        #expect(result.packets == summary["packets"] as! Int)
        #expect(result.wireBytes == summary["wire_bytes"] as! Int)
        // libpcap clamps a record whose captured length exceeds the snap length (trunc-hdr.pcap:
        // tshark 8 bytes, libpcap 1); netlab reads through libpcap, so it matches libpcap there.
        #expect(result.capturedBytes == libpcap["captured_bytes"] as! Int)
        if result.capturedBytes != summary["captured_bytes"] as! Int {
            #expect(entry.path == "zeek/testing/btest/Traces/trunc/trunc-hdr.pcap", "the one known clamped file")
        }
        // First and last timestamps. libpcap gives pcapng Simple Packet Blocks (no timestamp) a
        // time of 0, where tshark reports none (test010.pcapng): netlab reports 0 there.
        if let first = summary["first_ts"] as? String, let last = summary["last_ts"] as? String {
            #expect(result.firstNanoseconds == Corpus.nanoseconds(first))
            #expect(result.lastNanoseconds == Corpus.nanoseconds(last))
        } else if result.packets > 0 {
            #expect(entry.path.hasSuffix("test010.pcapng"), "only the Simple Packet Block file has no timestamps")
        }

        let tshark = entry.reference["tshark"] as! [String: any Sendable]
        let conversations = tshark["conversations"] as? [String: any Sendable] ?? [:]
        var expected: [String] = []
        for proto in ["tcp", "udp"] {
            for row in conversations[proto] as? [any Sendable] ?? [] {
                let c = row as! [String: any Sendable]
                expected.append(
                    Corpus.row(
                        proto, c["a_addr"] as! String, Corpus.int(c["a_port"]), c["b_addr"] as! String,
                        Corpus.int(c["b_port"]),
                        Corpus.int(c["frames"]), Corpus.int(c["bytes"]), Corpus.int(c["frames_a_to_b"]),
                        Corpus.int(c["bytes_a_to_b"]), Corpus.int(c["frames_b_to_a"]), Corpus.int(c["bytes_b_to_a"])))
            }
        }
        let actual = result.conversations.map {
            Corpus.row(
                $0.proto.name, $0.a.address.description, Int($0.a.port), $0.b.address.description, Int($0.b.port),
                $0.packets, $0.bytes, $0.packetsAToB, $0.bytesAToB, $0.packetsBToA, $0.bytesBToA)
        }
        #expect(actual.sorted() == expected.sorted())
    }
}

enum Corpus {
    /// JSON null.
    struct Null: Sendable {}

    static let location: String? = {
        if let configured = ProcessInfo.processInfo.environment["NETLAB_PCAP_CORPUS"] { return configured }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidate = root.deletingLastPathComponent().appendingPathComponent("shared/pcap-corpus").path
        return FileManager.default.fileExists(atPath: candidate + "/REFERENCE.json") ? candidate : nil
    }()

    static func row(
        _ proto: String, _ a: String, _ aPort: Int, _ b: String, _ bPort: Int, _ frames: Int, _ bytes: Int,
        _ framesAB: Int, _ bytesAB: Int, _ framesBA: Int, _ bytesBA: Int
    ) -> String {
        "\(proto) \(a):\(aPort) \(b):\(bPort) frames \(frames) bytes \(bytes) a→b \(framesAB)/\(bytesAB) b→a \(framesBA)/\(bytesBA)"
    }

    static func int(_ value: (any Sendable)?) -> Int {
        if let number = value as? Int { return number }
        if let text = value as? String, let number = Int(text) { return number }
        return -1
    }

    /// "1509949443.999999000" → nanoseconds, exactly.
    static func nanoseconds(_ text: String) -> Int64? {
        let parts = text.split(separator: ".")
        guard let seconds = Int64(parts[0]) else { return nil }
        let fraction =
            parts.count > 1 ? String(parts[1].prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0) : "0"
        return seconds * 1_000_000_000 + (Int64(fraction) ?? 0)
    }

    /// JSON values as Sendable ones (JSONSerialization gives Any).
    static func sendable(_ value: Any) -> any Sendable {
        switch value {
        case let dictionary as [String: Any]: return dictionary.mapValues { sendable($0) }
        case let array as [Any]: return array.map { sendable($0) }
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return number.boolValue }  // JSON true/false
            return number.doubleValue == number.doubleValue.rounded() && abs(number.doubleValue) < 1e15
                ? number.intValue : number.stringValue
        case let text as String: return text
        default: return Null()
        }
    }
}
