import Foundation
import Testing

@Suite struct InspectCommandTests {
    static let trace = repositoryRoot.appendingPathComponent("Traces/pod-to-pod-http.pcap").path

    @Test func jsonHasTheDocumentedShape() throws {
        let result = try NetlabBinary.run(["inspect", Self.trace, "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        for key in [
            "file", "format", "link_types", "packets", "captured_bytes", "wire_bytes", "first_ts_ns", "last_ts_ns",
            "ipv4", "ipv6", "tcp", "udp", "icmp", "other", "conversations", "warnings",
        ] {
            #expect(root[key] != nil, "missing \(key)")
        }
        #expect(root["format"] as? String == "pcap")
        #expect(root["link_types"] as? [String] == ["EN10MB"])
        let conversations = try #require(root["conversations"] as? [[String: Any]])
        #expect(conversations.count == 20)
        for key in ["proto", "a", "b", "packets", "bytes", "a_to_b_packets", "b_to_a_packets"] {
            #expect(conversations[0][key] != nil, "missing \(key)")
        }
    }

    @Test func tableSummarisesAndCSVListsConversations() throws {
        let table = try NetlabBinary.run(["inspect", Self.trace, "--format", "table", "--top", "3"])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("packets/s"))
        #expect(table.standardOutput.contains("inter-arrival"))
        #expect(table.standardOutput.contains("20 conversation(s), the 3 largest:"))
        let csv = try NetlabBinary.run(["inspect", Self.trace, "--format", "csv"])
        #expect(csv.standardOutput.split(separator: "\n").count == 21)
    }

    @Test func missingAndForeignFilesGiveOneLineAndStatusTwo() throws {
        let missing = try NetlabBinary.run(["inspect", "/nonexistent/x.pcap"])
        #expect(missing.status == 2)
        #expect(missing.standardError == "netlab: /nonexistent/x.pcap: no such file; check the path\n")
        let foreign = try NetlabBinary.run(["inspect", repositoryRoot.appendingPathComponent("README.md").path])
        #expect(foreign.status == 2)
        #expect(foreign.standardError.contains("not a pcap or pcapng file"))
        #expect(foreign.standardOutput.isEmpty)
    }

    /// A cut file: the packets before the cut are printed, marked incomplete, and the command
    /// still fails with the location of the damage.
    @Test func cutFileReportsWhatCameBeforeAndFails() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.trace))
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: cut) }
        FileManager.default.createFile(atPath: cut, contents: data.prefix(data.count - 30))
        let result = try NetlabBinary.run(["inspect", cut, "--format", "json"])
        #expect(result.status == 2)
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(root["complete"] as? Bool == false)
        #expect((root["warnings"] as? [String])?.first?.hasPrefix("incomplete:") == true)
        #expect(result.standardError.contains("packet 242"))
        #expect(result.standardError.contains("byte offset"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }
}
