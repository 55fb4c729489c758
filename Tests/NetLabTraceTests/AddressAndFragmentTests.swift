import Testing

@testable import NetLabTrace

@Suite struct AddressAndFragmentTests {
    @Test(arguments: [
        "198.18.0.1", "0.0.0.0", "255.255.255.255", "2001:2::1", "::1", "::", "fe80::1:2:3:4", "2001:db8:0:1:1:1:1:1",
        "1::",
    ])
    func addressesPrintAsTheyParse(text: String) throws {
        let address = try #require(IPAddress(Substring(text)))
        #expect(address.description == text)
    }

    @Test func ipv6PrintingFollowsRFC5952() throws {
        #expect(IPAddress(Substring("2001:0db8:0000:0000:0001:0000:0000:0001"))?.description == "2001:db8::1:0:0:1")
        #expect(IPAddress(Substring("2001:db8:0:0:0:0:2:1"))?.description == "2001:db8::2:1")
        #expect(IPAddress(Substring("::ffff:198.18.0.1"))?.description == "::ffff:c612:1")
    }

    @Test(arguments: ["1.2.3", "256.1.1.1", "1::2::3", "12345::", "hello"])
    func badAddressesAreRejected(text: String) {
        #expect(IPAddress(Substring(text)) == nil)
    }

    @Test func fragmentsCompleteOnTheLastMissingPieceInAnyOrder() {
        var reassembler = FragmentReassembler()
        let key = FragmentInfo.Key(
            source: IPAddress(ipv4: 1), destination: IPAddress(ipv4: 2), identification: 7, proto: 17)
        let header = TransportHeader(
            proto: .udp, source: IPAddress(ipv4: 1), destination: IPAddress(ipv4: 2), sourcePort: 1, destinationPort: 2,
            tcpFlags: 0, sequence: 0, acknowledgement: 0, payloadLength: 0)
        let last = FragmentInfo(
            key: key, offset: 2960, length: 500, moreFragments: false, firstHeader: nil, transportHeaderLength: 0)
        let first = FragmentInfo(
            key: key, offset: 0, length: 1480, moreFragments: true, firstHeader: header, transportHeaderLength: 8)
        let middle = FragmentInfo(
            key: key, offset: 1480, length: 1480, moreFragments: true, firstHeader: nil, transportHeaderLength: 0)
        #expect(reassembler.add(last).complete == false)
        #expect(reassembler.add(first).complete == false)
        let done = reassembler.add(middle)
        #expect(done.complete)
        #expect(done.header?.payloadLength == 3460 - 8)
        #expect(reassembler.incompleteDatagrams == 0)
    }
}
