import CPcap
import Foundation

/// Writes a pcap file (nanosecond timestamps) through libpcap's dump API, so that tcpdump,
/// tshark and Wireshark read it as they read their own. The packets go to a hidden file beside
/// `path` that is renamed onto it when ``close()`` succeeds: an interrupted or failed run never
/// leaves a truncated capture under the name asked for (``removeUnfinished()`` deletes the hidden
/// files of writers still open, for a signal handler).
public final class TraceWriter {
    public let path: String
    /// Where the packets are written until the file is complete.
    let partialPath: String
    private let dead: OpaquePointer
    private let dumper: OpaquePointer
    private var closed = false
    public private(set) var packetsWritten = 0

    /// Creates (or replaces) `path` for packets of `linkType` (1 = Ethernet).
    /// - Throws: ``TraceError`` if the file cannot be created.
    public init(path: String, linkType: Int32 = 1, snapshotLength: Int32 = 262_144) throws(TraceError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        partialPath =
            url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        guard let handle = PcapCalls.openDead(linkType: linkType, snapshotLength: snapshotLength) else {
            throw TraceError(
                kind: .unsupported, file: path, problem: "libpcap cannot write link type \(linkType)",
                fix: "use link type 1 (Ethernet)")
        }
        dead = handle
        do {
            dumper = try PcapCalls.dumpOpen(handle, path: partialPath)
        } catch {
            PcapCalls.close(handle)
            throw TraceError(kind: error.kind, file: path, problem: error.problem, fix: error.fix, cause: error)
        }
        Self.unfinished.insert(partialPath)
    }

    /// Appends one packet: `bytes` as captured, `wireLength` as it was on the wire (at least
    /// `bytes.count`), at `timestampNanoseconds` since the Unix epoch.
    public func write(_ bytes: UnsafeRawBufferPointer, wireLength: Int? = nil, timestampNanoseconds: Int64) {
        precondition(!closed, "write after close")
        var header = pcap_pkthdr()
        header.ts.tv_sec = Int(timestampNanoseconds / 1_000_000_000)
        header.ts.tv_usec = Int(timestampNanoseconds % 1_000_000_000)  // nanoseconds: opened with nanosecond precision
        header.caplen = UInt32(bytes.count)
        header.len = UInt32(max(wireLength ?? bytes.count, bytes.count))
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        PcapCalls.dump(dumper, header: &header, bytes: base)
        packetsWritten += 1
    }

    /// Flushes and closes the file.
    /// - Throws: ``TraceError`` if not everything could be written.
    public func close() throws(TraceError) {
        guard !closed else { return }
        closed = true
        defer {
            PcapCalls.close(dead)
            Self.unfinished.remove(partialPath)
        }
        do {
            try PcapCalls.dumpClose(dumper, path: path)
        } catch {
            unlink(partialPath)
            throw error
        }
        guard rename(partialPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partialPath)
            throw TraceError(
                kind: .unreadable, file: path, problem: "cannot be written (\(reason))",
                fix: "check that its folder is writable")
        }
    }

    /// A writer dropped without ``close()`` (its run failed) leaves nothing: the partial file goes.
    deinit {
        guard !closed else { return }
        PcapCalls.close(dead)
        try? PcapCalls.dumpClose(dumper, path: path)
        unlink(partialPath)
        Self.unfinished.remove(partialPath)
    }

    /// Deletes the hidden files of every writer not yet closed: a run stopped by a signal leaves
    /// no partial capture behind.
    public static func removeUnfinished() {
        for file in unfinished.all { unlink(file) }
    }

    private static let unfinished = PathSet()
}

/// Paths under a lock, for writers on several threads and a signal handler.
private final class PathSet: @unchecked Sendable {
    private var paths = Set<String>()
    private let lock = NSLock()

    func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }
    var all: [String] { lock.withLock { Array(paths) } }
}
