import Testing

@testable import NetLabCore

@Suite struct UnitParsingTests {
    @Test(arguments: [
        ("64B", 64 as Int64), ("1.5KiB", 1536), ("9000B", 9000), ("1MB", 1_000_000), ("1MiB", 1_048_576),
        ("2kB", 2000), ("0B", 0), ("1.5GB", 1_500_000_000),
    ])
    func dataSizesParseExactly(text: String, bytes: Int64) throws {
        #expect(try ByteCount(parsing: text).bytes == bytes)
    }

    @Test(arguments: [
        ("64", "has no unit"), ("1.3KiB", "is finer than 1B"), ("5 bytes", "unknown unit \"bytes\""),
        ("-1B", "is negative"),
        ("1e30B", "is too large"),
    ])
    func badDataSizesNameTheInputAndTheForms(text: String, problem: String) {
        #expect {
            try ByteCount(parsing: text)
        } throws: { error in
            let message = String(describing: error)
            return message.contains(problem) && message.contains("\"\(text)\"") && message.contains("64B, 1.5KiB")
        }
    }

    @Test(arguments: [
        ("25Gbps", 25_000_000_000 as Int64), ("100Mbps", 100_000_000), ("1.5Gbps", 1_500_000_000), ("9600bps", 9600),
        ("10kbps", 10_000),
    ])
    func bitRatesParseExactly(text: String, bitsPerSecond: Int64) throws {
        #expect(try BitRate(parsing: text).bitsPerSecond == bitsPerSecond)
    }

    @Test func badBitRatesAreRejected() {
        #expect(throws: UnitParseError.self) { try BitRate(parsing: "10GB/s") }
        #expect(throws: UnitParseError.self) { try BitRate(parsing: "10") }
        #expect(throws: UnitParseError.self) { try BitRate(parsing: "0.5bps") }
    }

    @Test(arguments: [("20000/s", 20000.0), ("20/ms", 20000.0), ("2e6/s", 2e6), ("50kHz", 50000.0), ("0.5/s", 0.5)])
    func eventRatesParse(text: String, perSecond: Double) throws {
        #expect(try EventRate(parsing: text).perSecond == perSecond)
    }

    @Test func badEventRatesAreRejected() {
        #expect(throws: UnitParseError.self) { try EventRate(parsing: "20000") }
        #expect(throws: UnitParseError.self) { try EventRate(parsing: "20000/min") }
        #expect(throws: UnitParseError.self) { try EventRate(parsing: "-3/s") }
    }

    @Test func serializationTimeIsExactInPicoseconds() throws {
        // 1 byte at 100 Gb/s is 80 ps; 1500 B at 10 Gb/s is 1.2 µs; 1 B at 3 bps rounds 2.667 s to the ps.
        #expect(try BitRate(parsing: "100Gbps").serializationTime(of: 1).picoseconds == 80)
        #expect(try BitRate(parsing: "10Gbps").serializationTime(of: 1500) == .nanoseconds(1200))
        #expect(BitRate(bitsPerSecond: 3).serializationTime(of: 1).picoseconds == 2_666_666_666_667)
    }

    @Test func meanIntervalOfARate() throws {
        #expect(try EventRate(parsing: "20000/s").meanInterval == .microseconds(50))
    }

    @Test func quantitiesPrintReadably() throws {
        #expect(ByteCount(bytes: 1536).description == "1.5KiB")
        #expect(ByteCount(bytes: 64).description == "64B")
        #expect(try BitRate(parsing: "25Gbps").description == "25Gbps")
        #expect(try EventRate(parsing: "20/ms").description == "20000/s")
    }
}
