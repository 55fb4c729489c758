import NetLabCore
import NetLabModel

extension CaptureOrigin {
    /// Where a capture was taken, from the names a user gives: the grouping it was captured in
    /// (`--captured-in`) and the capture point there (`--capture-point`: any, client, server or
    /// node, or their synonyms; any if not given). Nil without a grouping: the capture's timing
    /// is then replayed as captured.
    /// - Throws: ``ReplayError`` for an unknown name, or a capture point without its grouping.
    public static func named(
        grouping: String?, point: String?, in topology: Topology, topologyFile: String
    ) throws(ReplayError) -> CaptureOrigin? {
        var chosen = CapturePoint.any
        if let point {
            guard let known = CapturePoint(rawValue: point) ?? CapturePoint.synonyms[point] else {
                throw ReplayError(
                    location: "--capture-point", problem: "unknown capture point \"\(point)\"",
                    fix: "use any, client, server or node (or sender, receiver, bridge)")
            }
            chosen = known
        }
        let names = topology.groupings.map(\.name)
        guard let grouping else {
            guard point == nil else {
                throw ReplayError(
                    location: "--capture-point", problem: "a capture point without the grouping it was taken in",
                    fix: "add --captured-in GROUPING (one of \(names.joined(separator: ", ")))")
            }
            return nil
        }
        guard let index = names.firstIndex(of: grouping) else {
            throw ReplayError(
                location: "--captured-in", problem: "no grouping \"\(grouping)\" in \(topologyFile)",
                fix: didYouMean(grouping, among: names) + "use one of \(names.joined(separator: ", "))")
        }
        return CaptureOrigin(grouping: index, point: chosen)
    }
}
