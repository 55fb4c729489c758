import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes `text` to standard output, or to the file at `path`. A regular file (or a new one) is
/// written atomically: a reader never sees half of it, and a failed write leaves the old one. Anything
/// else already at the path (a device such as /dev/null, a FIFO, a symbolic link) is written
/// through in place, never replaced: atomic replacement would put a regular file where the
/// device or link was.
func writeOutput(_ text: String, to path: String?) throws {
    guard let path else {
        print(text, terminator: "")
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
        try writeInPlace(text, to: path, creating: kind == S_IFLNK)
        return
    }
    do {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
        throw InputError(
            source: "--output", location: nil, problem: "cannot write \(path) (\(error.localizedDescription))",
            fix: "check that its folder exists and is writable")
    }
}

/// Opens what is at `path` for writing (following a symbolic link, whose missing target is created
/// as the shell's `>` would), without replacing it, and writes all of `text`.
private func writeInPlace(_ text: String, to path: String, creating: Bool) throws {
    let descriptor = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | (creating ? O_CREAT : 0), 0o644)
    guard descriptor >= 0 else {
        let reason = String(cString: strerror(errno))
        throw InputError(
            source: "--output", location: nil, problem: "cannot open \(path) for writing (\(reason))",
            fix: "give a writable file")
    }
    defer { close(descriptor) }
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else {
            let reason = String(cString: strerror(errno))
            throw InputError(
                source: "--output", location: nil, problem: "writing \(path) failed (\(reason))",
                fix: "check the space and permissions where it points")
        }
        bytes = bytes.dropFirst(written)
    }
}
