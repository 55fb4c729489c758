import Testing

@testable import NetLabTrace

/// Copies of a packet seen on two interfaces of one capture, told from packets that only look alike.
@Suite struct CopyFilterTests {
    static func header(
        sequence: UInt32 = 100, payload: Int = 200, proto: TransportProtocol = .tcp, checksum: UInt16 = 0
    )
        -> TransportHeader
    {
        TransportHeader(
            proto: proto, source: IPAddress(ipv4: 0xC612_0701), destination: IPAddress(ipv4: 0xC612_0702),
            sourcePort: 40000, destinationPort: 8080, tcpFlags: proto == .tcp ? 0x18 : 0, sequence: sequence,
            acknowledgement: 7, payloadLength: payload, udpChecksum: checksum)
    }

    @Test func theSamePacketTwiceWithinTheWindowIsACopy() {
        var filter = CopyFilter()
        var seen: Bool
        seen = filter.isCopy(Self.header(), identification: 5, timestamp: 1_000_000)
        #expect(!seen)
        seen = filter.isCopy(Self.header(), identification: 5, timestamp: 1_000_300)
        #expect(seen)
        // Copies may come first in file order (dumpcap writes interfaces in batches).
        seen = filter.isCopy(Self.header(sequence: 300), identification: 6, timestamp: 5_000_000)
        #expect(!seen)
        seen = filter.isCopy(Self.header(sequence: 300), identification: 6, timestamp: 4_999_800)
        #expect(seen)
        // On a loaded node the forwarded copy can be stamped milliseconds after the received one:
        // with an IPv4 identification to tell a retransmission apart, that is still a copy.
        seen = filter.isCopy(Self.header(sequence: 900), identification: 7, timestamp: 10_000_000)
        #expect(!seen)
        seen = filter.isCopy(Self.header(sequence: 900), identification: 7, timestamp: 16_000_000)
        #expect(seen)
        // Tens of milliseconds on a node whose cores are all busy: still below any RTO.
        seen = filter.isCopy(Self.header(sequence: 1_500), identification: 8, timestamp: 20_000_000)
        #expect(!seen)
        seen = filter.isCopy(Self.header(sequence: 1_500), identification: 8, timestamp: 80_000_000)
        #expect(seen)
        #expect(filter.copies == 4)
    }

    @Test func lookalikesAreNotCopies() {
        var filter = CopyFilter()
        var seen: Bool
        seen = filter.isCopy(Self.header(), identification: 5, timestamp: 0)
        #expect(!seen)
        // A retransmission: another IP identification, or the same one an RTO later.
        seen = filter.isCopy(Self.header(), identification: 9, timestamp: 1000)
        #expect(!seen)
        seen = filter.isCopy(Self.header(), identification: 5, timestamp: 200_000_000)
        #expect(!seen)
        // Without an identification, a packet 1 ms later may be a fast retransmission.
        seen = filter.isCopy(Self.header(payload: 300), identification: 0, timestamp: 300_000_000)
        #expect(!seen)
        seen = filter.isCopy(Self.header(payload: 300), identification: 0, timestamp: 301_000_000)
        #expect(!seen)
        // Same-size UDP datagrams with identification 0 differ in their checksum.
        seen = filter.isCopy(Self.header(payload: 100, proto: .udp, checksum: 1), identification: 0, timestamp: 0)
        #expect(!seen)
        seen = filter.isCopy(Self.header(payload: 100, proto: .udp, checksum: 2), identification: 0, timestamp: 10)
        #expect(!seen)
        #expect(filter.copies == 0)
    }

    /// Where the capture names the interface (`tcpdump -i any`), a copy comes from another one.
    @Test func theSameInterfaceTwiceIsNotACopy() {
        var filter = CopyFilter()
        var seen = filter.isCopy(Self.header(), identification: 5, interface: 3, timestamp: 0)
        #expect(!seen)
        seen = filter.isCopy(Self.header(), identification: 5, interface: 3, timestamp: 100)
        #expect(!seen)
        seen = filter.isCopy(Self.header(), identification: 5, interface: 4, timestamp: 200)
        #expect(seen)
    }

    @Test func onlyCapturesOfSeveralInterfacesAreChecked() {
        #expect(!CopyFilter.applies(to: .pcap, linkType: 1))
        #expect(CopyFilter.applies(to: .pcapng, linkType: 1))
        #expect(CopyFilter.applies(to: .pcap, linkType: 276))
    }
}
