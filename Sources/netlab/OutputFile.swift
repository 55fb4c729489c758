import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes `text` to standard output, or to the file at `path` (see
/// ``writeOutput(to:_:)``).
func writeOutput(_ text: String, to path: String?) throws {
    try writeOutput(to: path) { $0.write(text) }
}

/// Writes what `produce` writes to standard output, or to the file at `path`, streamed in pieces
/// so that a large report is never held whole as text. A regular file (or a new one) is written
/// atomically: a reader never sees half of it, and a failed write leaves the old one. Anything
/// else already at the path (a device such as /dev/null, a FIFO, a symbolic link) is written
/// through in place, never replaced: atomic replacement would put a regular file where the
/// device or link was.
func writeOutput(to path: String?, _ produce: (inout DescriptorOutput) -> Void) throws {
    guard let path else {
        fflush(nil)  // Anything printed before goes first.
        var output = DescriptorOutput(descriptor: STDOUT_FILENO)
        produce(&output)
        output.flush()
        if let failure = output.failure {
            throw InputError(
                source: "standard output", location: nil,
                problem: "writing the report failed (\(String(cString: strerror(failure))))",
                fix: "check where standard output goes, or give --output FILE")
        }
        return
    }
    var info = stat()
    let exists = lstat(path, &info) == 0
    let kind = info.st_mode & S_IFMT
    if exists, kind == S_IFDIR {
        throw InputError(
            source: "--output", location: nil, problem: "\(path) is a folder", fix: "give a file name inside it")
    }
    if exists, kind != S_IFREG {
        try write(to: path, flags: O_WRONLY | O_TRUNC | (kind == S_IFLNK ? O_CREAT : 0), naming: path, produce)
        return
    }
    // Written beside the target, then renamed over it: rename is atomic within a folder.
    let temporary = path + ".netlab-\(getpid()).partial"
    do {
        try write(to: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, naming: path, produce)
    } catch {
        unlink(temporary)
        throw error
    }
    guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw InputError(
            source: "--output", location: nil, problem: "cannot write \(path) (\(reason))",
            fix: "check that its folder exists and is writable")
    }
}

/// Opens `path` with `flags` (a symbolic link is followed) and writes what `produce` writes;
/// errors name the file as the user gave it, `name`.
private func write(
    to path: String, flags: Int32, naming name: String, _ produce: (inout DescriptorOutput) -> Void
) throws {
    let descriptor = open(path, flags | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
        let reason = String(cString: strerror(errno))
        throw InputError(
            source: "--output", location: nil, problem: "cannot open \(name) for writing (\(reason))",
            fix: "check that its folder exists and is writable")
    }
    var output = DescriptorOutput(descriptor: descriptor)
    produce(&output)
    output.flush()
    let closed = close(descriptor) == 0
    if let failure = output.failure ?? (closed ? nil : errno) {
        throw InputError(
            source: "--output", location: nil,
            problem: "writing \(name) failed (\(String(cString: strerror(failure))))",
            fix: "check the space and permissions where it points")
    }
}

/// Text written to a file descriptor in pieces of 64 KiB. The first failure is kept (and
/// nothing more is written), for the caller to report once the text is done.
struct DescriptorOutput: TextOutputStream {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private(set) var failure: Int32?

    private static let pieceSize = 1 << 16

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.pieceSize)
    }

    mutating func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= Self.pieceSize { flush() }
    }

    /// Writes UTF-8 text already encoded, such as a JSON report's pieces.
    mutating func write(utf8 bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.pieceSize { flush() }
    }

    /// Writes out what is buffered.
    mutating func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        var start = 0
        while start < buffer.count {
            let written = buffer.withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress! + start, $0.count - start)
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                failure = written < 0 ? errno : EIO
                return
            }
            start += written
        }
    }
}
