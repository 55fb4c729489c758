import Testing

@testable import NetLabCore

@Suite struct TimeTests {
    @Test func instantsAndDurationsCombineAsExpected() {
        let start = SimTime.zero + .microseconds(10)
        #expect(start.picoseconds == 10_000_000)
        #expect((start + .nanoseconds(250)) - start == .nanoseconds(250))
        #expect(start - .microseconds(4) == SimTime(picoseconds: 6_000_000))
        #expect(SimDuration.seconds(2) == .milliseconds(2000))
        #expect(SimDuration.milliseconds(3) * 4 == .milliseconds(12))
    }

    @Test(arguments: [
        ("250ns", 250_000 as Int64), ("10us", 10_000_000), ("10µs", 10_000_000), ("1.5ms", 1_500_000_000),
        ("2s", 2_000_000_000_000), ("80ps", 80), ("0s", 0), (" 7 ms ", 7_000_000_000), ("1e3ns", 1_000_000),
        ("0.000001s", 1_000_000), ("9000000s", 9_000_000_000_000_000_000),
    ])
    func durationsParseExactly(text: String, picoseconds: Int64) throws {
        #expect(try SimDuration(parsing: text).picoseconds == picoseconds)
    }

    @Test(arguments: [
        ("10", "has no unit"), ("fast", "is not a duration"), ("10 parsecs", "unknown unit \"parsecs\""),
        ("-5ms", "is negative"), ("0.5ps", "is finer than 1ps"), ("1.2.3ms", "is not a duration"),
        ("99999999999999999999s", "is too large"), ("1e12s", "is too large"),
        ("200000000s", "is too large"), ("", "is not a duration"), ("ms", "is not a duration"),
    ])
    func badDurationsAreRejectedWithTheInputAndTheAcceptedForms(text: String, problem: String) {
        #expect {
            try SimDuration(parsing: text)
        } throws: { error in
            let message = String(describing: error)
            return message.contains(problem) && message.contains("\"\(text)\"")
                && message.contains("250ns, 10us, 1.5ms, 2s")
        }
    }

    @Test func durationsPrintInTheLargestWholeUnit() {
        #expect(SimDuration.nanoseconds(250).description == "250ns")
        #expect(SimDuration.microseconds(1500).description == "1.5ms")
        #expect(SimDuration.seconds(2).description == "2s")
        #expect(SimDuration.zero.description == "0ps")
        #expect(SimDuration(picoseconds: 80).description == "80ps")
        #expect(SimDuration(picoseconds: -1_500_000).description == "-1.5us")
    }

    @Test func printedDurationsParseBack() throws {
        for picoseconds: Int64 in [0, 1, 999, 1000, 1_500_000_000, 2_000_000_000_000, 123_000] {
            let duration = SimDuration(picoseconds: picoseconds)
            #expect(try SimDuration(parsing: duration.description) == duration)
        }
    }

    @Test func floatingPointDelaysRoundOnceToThePicosecond() {
        #expect(SimDuration(roundingSeconds: 1e-9).picoseconds == 1000)
        #expect(SimDuration(roundingSeconds: 0.4e-12).picoseconds == 0)
        #expect(SimDuration(roundingSeconds: 1.6e-12).picoseconds == 2)
    }
}
