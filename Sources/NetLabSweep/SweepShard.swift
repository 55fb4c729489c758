import NetLabCore

/// One of the N parts a sweep's jobs are dealt into (`--shard I/N`): job j belongs to shard
/// j modulo N, so the shards are as even as the jobs allow whatever their order.
public struct SweepShard: Sendable, Equatable {
    public var index: Int
    public var count: Int

    /// The whole sweep as one shard.
    public static let whole = SweepShard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// `I/N` with 0 ≤ I < N ≤ 100,000.
    /// - Throws: ``SweepError`` naming `--shard`, for any other text.
    public init(parsing text: String) throws(SweepError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, count <= 100_000
        else {
            throw SweepError("--shard", "\"\(text)\" is not I/N", fix: "write e.g. 0/4")
        }
        guard (0..<count).contains(index) else {
            throw SweepError(
                "--shard", "shard \(index) is out of range for \(count) shards", fix: "give 0 to \(count - 1)")
        }
        self.init(index: index, count: count)
    }
}

extension SweepPlan {
    /// The jobs (point × replication numbers) that `shard` runs.
    public func jobs(in shard: SweepShard) -> [Int] { jobs(inShard: shard.index, of: shard.count) }
}
