import NetLabSpec

extension ProfileReader {
    /// The summary of the replay check a calibrated profile file carries (`calibrate --replay`),
    /// or nil when it has none or cannot be read: it is shown beside a replay, never needed.
    public static func replayCheckSummary(_ text: String) -> ReplayCheckRecord.Summary? {
        guard let root = try? JSONParser.parse(text), let summary = root["replay_check"]?["summary"] else {
            return nil
        }
        func number(_ key: String) -> Double {
            guard case .number(let written)? = summary[key]?.value else { return .nan }
            return Double(written) ?? .nan
        }
        func count(_ key: String) -> Int {
            guard case .number(let written)? = summary[key]?.value else { return 0 }
            return Int(written) ?? 0
        }
        let predictions = count("predictions")
        guard predictions > 0 else { return nil }
        return ReplayCheckRecord.Summary(
            predictions: predictions, medianP50Error: number("median_abs_p50_error"),
            medianP99Error: number("median_abs_p99_error"),
            medianDifferenceError: number("median_difference_error_us"),
            differencesInside: number("differences_inside_interval"),
            medianIdentityError: number("median_abs_identity_error"), negativeGaps: count("negative_gaps"),
            gaps: count("gaps"))
    }
}

extension JSONNode {
    /// The member `key` of an object, or nil.
    fileprivate subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }
}
