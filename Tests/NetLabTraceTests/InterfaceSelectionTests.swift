import Foundation
import Testing

@testable import NetLabTrace

/// `--interface`: one capture point of a capture taken on several interfaces.
@Suite struct InterfaceSelectionTests {
    /// Packets per interface as tshark labels them (`frame.interface_name`, `frame.interface_id`).
    static func tsharkPacketsByInterface(_ path: String) throws -> [String: Int]? {
        guard let tshark = TraceTestSupport.tool("tshark") else { return nil }
        let text = try TraceTestSupport.run(
            tshark, ["-n", "-r", path, "-T", "fields", "-E", "separator=|", "-e", "frame.interface_name"])
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") { counts[String(line), default: 0] += 1 }
        return counts
    }

    /// Why reading only `interface` of `path` is refused; nil if it is not.
    static func refusal(_ path: String, interface: String) -> TraceError? {
        do {
            _ = try TraceInspector.inspect(path: path, interface: interface)
            return nil
        } catch { return error }
    }

    @Test(.enabled(if: Corpus.location != nil, "the pcap corpus is not at ../shared/pcap-corpus"))
    func aPcapngInterfaceIsChosenByNameOrNumberAsTsharkCountsIt() throws {
        let path = Corpus.location! + "/zeek/testing/btest/Traces/pcapng-multi-interface.pcapng"
        let all = try TraceInspector.inspect(path: path)
        let eth0 = try TraceInspector.inspect(path: path, interface: "eth0")
        let second = try TraceInspector.inspect(path: path, interface: "1")
        #expect(eth0.packets + second.packets == all.packets)
        #expect(eth0.otherInterfacePackets == second.packets)
        #expect(eth0.packetsByInterface == second.packetsByInterface)
        #expect(eth0.packetsByInterface.values.reduce(0, +) == all.packets)
    }

    @Test(
        .enabled(if: Corpus.location != nil, "the pcap corpus is not at ../shared/pcap-corpus"),
        .enabled(if: TraceTestSupport.tool("tshark") != nil, "tshark is not installed"))
    func packetsPerInterfaceAreTsharks() throws {
        let path = Corpus.location! + "/zeek/testing/btest/Traces/pcapng-multi-interface.pcapng"
        let eth0 = try TraceInspector.inspect(path: path, interface: "eth0")
        let reference = try #require(try Self.tsharkPacketsByInterface(path))
        #expect(reference.count == 2)
        #expect(eth0.packetsByInterface == reference)
        #expect(eth0.packets == reference["eth0"])
    }

    @Test(.enabled(if: Corpus.location != nil, "the pcap corpus is not at ../shared/pcap-corpus"))
    func anInterfaceTheFileDoesNotDeclareIsRefusedWithTheDeclaredOnes() throws {
        let path = Corpus.location! + "/zeek/testing/btest/Traces/pcapng-multi-interface.pcapng"
        let error = try #require(Self.refusal(path, interface: "cni0"))
        #expect(error.problem.contains("no capturing interface \"cni0\""))
        #expect(error.problem.contains("eth0 (0)"))
    }

    @Test func aClassicCaptureHasNoInterfaceToChoose() throws {
        let path = TraceTestSupport.temporaryPath("one-interface.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try TraceWriter(path: path)
        let frame = FrameBuilder.frame(
            proto: .udp, source: Endpoint(address: IPAddress(ipv4: 0xC612_0001), port: 1000),
            destination: Endpoint(address: IPAddress(ipv4: 0xC612_0002), port: 53), payloadLength: 10)
        frame.withUnsafeBytes { writer.write($0, timestampNanoseconds: 1_000) }
        try writer.close()
        let error = try #require(Self.refusal(path, interface: "eth0"))
        #expect(error.problem.contains("does not record which interface captured each packet"))
        #expect(error.fix.contains("dumpcap"))
    }

    /// A `tcpdump -i any` capture (LINUX_SLL2): packets of interface indices 4 and 7, chosen by
    /// index; a name is refused with the indices the file holds.
    @Test func aLinuxAnyCaptureIsChosenByInterfaceIndex() throws {
        let path = TraceTestSupport.temporaryPath("any.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try TraceWriter(path: path, linkType: 276)
        for (number, index) in [4, 7, 4, 4, 7].enumerated() {
            let ethernet = FrameBuilder.frame(
                proto: .udp, source: Endpoint(address: IPAddress(ipv4: 0xC612_0001), port: UInt16(1000 + number)),
                destination: Endpoint(address: IPAddress(ipv4: 0xC612_0002), port: 53), payloadLength: 10)
            // SLL2: protocol, reserved, interface index, ARPHRD, packet type, address length, address.
            var frame: [UInt8] =
                [0x08, 0x00, 0, 0, 0, 0, 0, UInt8(index), 0, 1, 0, 6] + [UInt8](repeating: 0, count: 8)
            frame += ethernet.dropFirst(14)
            frame.withUnsafeBytes { writer.write($0, timestampNanoseconds: Int64(number) * 1_000) }
        }
        try writer.close()
        let four = try TraceInspector.inspect(path: path, interface: "4")
        #expect(four.packets == 3)
        #expect(four.udp == 3)
        #expect(four.conversations.count == 3)
        #expect(four.otherInterfacePackets == 2)
        #expect(four.packetsByInterface == ["4": 3, "7": 2])
        let none = try TraceInspector.inspect(path: path, interface: "9")
        #expect(none.packets == 0)
        #expect(none.warnings.contains { $0.contains("no packet was captured on interface 9") })
        let error = try #require(Self.refusal(path, interface: "eth0"))
        #expect(error.problem.contains("indices in this file: 4 (3 packets), 7 (2 packets)"))
    }

    /// A little-endian pcapng file: interfaces named `names`, then one UDP frame per entry of
    /// `packets` on that interface. `idbLength` overrides the last interface block's length field.
    static func pcapng(names: [String], packets: [Int], idbLength: UInt32? = nil) -> [UInt8] {
        func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        func le16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        func padded(_ bytes: [UInt8]) -> [UInt8] { bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4) }
        func block(_ type: UInt32, _ body: [UInt8], length: UInt32? = nil) -> [UInt8] {
            let total = UInt32(12 + body.count)
            return le32(type) + le32(length ?? total) + body + le32(total)
        }
        var file = block(0x0A0D_0D0A, le32(0x1A2B_3C4D) + le16(1) + le16(0) + [UInt8](repeating: 0xFF, count: 8))
        for (index, name) in names.enumerated() {
            let option = le16(2) + le16(UInt16(name.utf8.count)) + padded(Array(name.utf8)) + le32(0)
            file += block(
                1, le16(1) + le16(0) + le32(65_535) + option, length: index == names.count - 1 ? idbLength : nil)
        }
        for (number, interface) in packets.enumerated() {
            let frame = FrameBuilder.frame(
                proto: .udp, source: Endpoint(address: IPAddress(ipv4: 0xC612_0001), port: UInt16(2000 + number)),
                destination: Endpoint(address: IPAddress(ipv4: 0xC612_0002), port: 53), payloadLength: 10)
            let header = le32(UInt32(interface)) + le32(0) + le32(UInt32(number) * 1000)
            file += block(6, header + le32(UInt32(frame.count)) + le32(UInt32(frame.count)) + padded(frame))
        }
        return file
    }

    @Test func theBlockWalkerFollowsLibpcapPacketByPacket() throws {
        let path = TraceTestSupport.temporaryPath("two-ports.pcapng")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Self.pcapng(names: ["cni0", "veth1"], packets: [0, 1, 1, 0, 1])).write(to: URL(fileURLWithPath: path))
        let bridge = try TraceInspector.inspect(path: path, interface: "cni0")
        #expect(bridge.packets == 2)
        #expect(bridge.conversations.map(\.a.port) == [2000, 2003])
        #expect(bridge.packetsByInterface == ["cni0": 2, "veth1": 3])
        #expect(try TraceInspector.inspect(path: path, interface: "1").packets == 3)
    }

    /// A damaged interface block length must end the walk with an error, not an allocation of
    /// gigabytes or a crash. (The second block: libpcap itself reads the first when it opens the
    /// file and refuses a damaged one there.)
    @Test func aDamagedInterfaceBlockLengthIsRefused() throws {
        let path = TraceTestSupport.temporaryPath("damaged.pcapng")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Self.pcapng(names: ["cni0", "veth1"], packets: [0], idbLength: 0xFFFF_FFF0))
            .write(to: URL(fileURLWithPath: path))
        #expect(PcapngInterfaces.declared(in: path) == nil)
        let error = try #require(Self.refusal(path, interface: "cni0"))
        #expect(error.problem.contains("block structure is damaged"), "\(error)")
    }
}
