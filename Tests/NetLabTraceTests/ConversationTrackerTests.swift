import Testing

@testable import NetLabTrace

/// The conversation table: both directions of a key meet, a reused port pair opens a new TCP
/// stream (and later packets go to it), and lookups survive the table growing.
@Suite struct ConversationTrackerTests {
    static func segment(
        from client: Bool, flags: UInt8, sequence: UInt32 = 1, clientPort: UInt16 = 40000, payload: Int = 0
    ) -> TransportHeader {
        let a = IPAddress(ipv4: 0xC612_0001), b = IPAddress(ipv4: 0xC612_0002)
        return TransportHeader(
            proto: .tcp, source: client ? a : b, destination: client ? b : a,
            sourcePort: client ? clientPort : 80, destinationPort: client ? 80 : clientPort, tcpFlags: flags,
            sequence: sequence, acknowledgement: 0, payloadLength: payload)
    }

    @Test func bothDirectionsMeetInOneConversation() {
        var tracker = ConversationTracker()
        let out = tracker.record(
            Self.segment(from: true, flags: 0x18, payload: 10), frameLength: 64, timestamp: 0, packet: 1)
        let back = tracker.record(
            Self.segment(from: false, flags: 0x18, payload: 20), frameLength: 74, timestamp: 1, packet: 2)
        #expect(out.index == back.index)
        #expect(out.fromA && !back.fromA)
        #expect(tracker.conversations.count == 1)
        #expect(tracker.conversations[0].payloadAToB == 10 && tracker.conversations[0].payloadBToA == 20)
    }

    @Test func aReusedPortPairOpensANewStreamThatLaterPacketsJoin() {
        var tracker = ConversationTracker()
        var packet = 0
        func record(_ header: TransportHeader) -> Int {
            packet += 1
            return tracker.record(header, frameLength: 60, timestamp: Int64(packet), packet: packet).index
        }
        let first = record(Self.segment(from: true, flags: 0x02, sequence: 100))
        #expect(record(Self.segment(from: true, flags: 0x02, sequence: 100)) == first)  // retransmitted SYN
        #expect(record(Self.segment(from: false, flags: 0x12)) == first)
        #expect(record(Self.segment(from: true, flags: 0x11)) == first)  // FIN
        let second = record(Self.segment(from: true, flags: 0x02, sequence: 900))
        #expect(second != first)
        #expect(record(Self.segment(from: false, flags: 0x12)) == second)
        #expect(record(Self.segment(from: true, flags: 0x18, payload: 5)) == second)
        #expect(tracker.conversations.map(\.packets) == [4, 3])
    }

    @Test func lookupsSurviveTheTableGrowing() {
        var tracker = ConversationTracker()
        var indices: [Int] = []
        for port in 0..<5000 {
            let header = Self.segment(from: true, flags: 0x18, clientPort: UInt16(1024 + port), payload: 1)
            indices.append(tracker.record(header, frameLength: 60, timestamp: 0, packet: port + 1).index)
        }
        #expect(indices == Array(0..<5000))
        for port in stride(from: 0, to: 5000, by: 7) {
            let reply = Self.segment(from: false, flags: 0x18, clientPort: UInt16(1024 + port), payload: 1)
            let found = tracker.record(reply, frameLength: 60, timestamp: 1, packet: 0)
            #expect(found.index == port && !found.fromA)
        }
        #expect(tracker.conversations.count == 5000)
    }
}
