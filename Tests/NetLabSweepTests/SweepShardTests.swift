import NetLabCore
import Testing

@testable import NetLabSweep

/// `--shard I/N` and `--merge-deadline`, as the sweep reads them.
@Suite struct SweepShardTests {
    @Test func aShardIsIOfN() throws {
        #expect(try SweepShard(parsing: "2/5") == SweepShard(index: 2, count: 5))
        #expect(try SweepShard(parsing: "0/1") == .whole)
    }

    @Test(arguments: [
        ("x", "\"x\" is not I/N"), ("1/0", "\"1/0\" is not I/N"), ("1/2/3", "\"1/2/3\" is not I/N"),
        ("5/5", "shard 5 is out of range for 5 shards"), ("-1/3", "shard -1 is out of range for 3 shards"),
        ("0/100001", "\"0/100001\" is not I/N"),
    ])
    func otherTextIsRefused(text: String, problem: String) {
        let error = #expect(throws: SweepError.self) { try SweepShard(parsing: text) }
        #expect(error?.source == "--shard")
        #expect(error?.problem == problem)
    }

    @Test func theMergeDeadlineIsAMinuteToThirtyDays() throws {
        #expect(try SweepJobManifest.mergeDeadlineSeconds(parsing: "21600s") == 21_600)
        #expect(try SweepJobManifest.mergeDeadlineSeconds(parsing: "60s") == 60)
        let short = #expect(throws: SweepError.self) { try SweepJobManifest.mergeDeadlineSeconds(parsing: "59s") }
        #expect(short?.problem == "59s is out of range")
        // A unit mistake keeps the unit parser's error as its cause.
        let unit = #expect(throws: SweepError.self) { try SweepJobManifest.mergeDeadlineSeconds(parsing: "6 parsecs") }
        #expect(unit?.source == "--merge-deadline")
        #expect(unit?.cause is UnitParseError)
    }
}
