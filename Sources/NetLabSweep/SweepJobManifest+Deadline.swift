import NetLabCore

extension SweepJobManifest {
    /// The merge's wait for the shards (`--merge-deadline`), in whole seconds: a duration from a
    /// minute to 30 days, such as 21600s.
    /// - Throws: ``SweepError`` naming `--merge-deadline`, keeping the unit parser's error.
    public static func mergeDeadlineSeconds(parsing text: String) throws(SweepError) -> Int {
        let value: SimDuration
        do { value = try SimDuration(parsing: text) } catch {
            throw SweepError("--merge-deadline", "\"\(text)\" \(error.problem)", fix: error.fix, cause: error)
        }
        guard value >= .seconds(60), value <= .seconds(30 * 86_400) else {
            throw SweepError(
                "--merge-deadline", "\(text) is out of range",
                fix: "give 60s to 2592000s (30 days), e.g. 21600s for six hours")
        }
        return Int(value.picoseconds / 1_000_000_000_000)
    }
}
