import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A progress line on standard error, shown only when standard error is a terminal and the work
/// has taken more than a second; otherwise silent.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let start = ContinuousClock.now
    private let enabled = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var shown = false

    init(label: String) {
        self.label = label
    }

    func update(_ status: String) {
        guard enabled, ContinuousClock.now - start > .seconds(1) else { return }
        lock.lock()
        defer { lock.unlock() }
        var standardError = StandardError()
        print("\r\(label): \(status)\u{1B}[K", terminator: "", to: &standardError)
        shown = true
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard shown else { return }
        var standardError = StandardError()
        print("\r\u{1B}[K", terminator: "", to: &standardError)
    }
}
