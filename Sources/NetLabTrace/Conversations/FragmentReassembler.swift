/// Tracks IP fragments until their datagram is whole, as tshark's default reassembly does, so
/// that a fragmented datagram's TCP or UDP header is counted once, on the frame that completes it.
/// Only offsets are kept, never payload.
public struct FragmentReassembler: Sendable {
    struct Pending {
        var ranges: [Range<Int>] = []
        var total: Int?
        var header: TransportHeader?
        var headerLength = 0
    }

    private var pending: [FragmentInfo.Key: Pending] = [:]

    public init() {}

    /// Datagrams still waiting for fragments.
    public var incompleteDatagrams: Int { pending.count }

    /// Adds a fragment; returns the datagram's transport header (its payload length set from the
    /// whole datagram) when this fragment completes it and the first fragment showed the header.
    public mutating func add(_ fragment: FragmentInfo) -> (complete: Bool, header: TransportHeader?) {
        var entry = pending[fragment.key] ?? Pending()
        let range = fragment.offset..<(fragment.offset + fragment.length)
        if !range.isEmpty { entry.ranges.append(range) }
        if !fragment.moreFragments { entry.total = fragment.offset + fragment.length }
        if fragment.offset == 0, let header = fragment.firstHeader {
            entry.header = header
            entry.headerLength = fragment.transportHeaderLength
        }
        guard let total = entry.total, Self.covers(entry.ranges, total) else {
            pending[fragment.key] = entry
            return (false, nil)
        }
        pending[fragment.key] = nil
        guard var header = entry.header else { return (true, nil) }
        header.payloadLength = max(0, total - entry.headerLength)
        return (true, header)
    }

    static func covers(_ ranges: [Range<Int>], _ total: Int) -> Bool {
        var reached = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > reached { return false }
            reached = max(reached, range.upperBound)
        }
        return reached >= total
    }
}
