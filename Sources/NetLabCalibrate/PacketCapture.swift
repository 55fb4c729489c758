import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tcpdump capture running in a network namespace while a measurement runs, as a user would
/// take one: started, waited for until it listens, and stopped with SIGINT so that it writes
/// everything it saw.
///
/// Started with posix_spawn and every signal unblocked and at its default: a process started
/// from a thread that blocks SIGINT (as test runners' and Dispatch's threads do) would otherwise
/// inherit the block and never stop.
final class PacketCapture {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let path: String
    private var pid: pid_t = 0
    private var errorDescriptor: Int32 = -1
    private var errorText = ""
    private var exited = false
    private var status: Int32 = 0

    /// Starts `tcpdump -i interface` in `namespace` (a name under /run/netns) writing `path`,
    /// keeping only `filter`'s packets; returns once it listens. tcpdump keeps root (`-Z root`):
    /// where it drops to a user of its own, that user may not write into the check's folder.
    init(namespace: String, interface: String, filter: String, path: String) throws(Failure) {
        self.path = path
        let arguments =
            [
                "ip", "netns", "exec", namespace, "tcpdump", "-i", interface, "-n", "-s", "0", "-U", "--immediate-mode",
                "-Z", "root",
            ]
            + ["-w", path, filter]
        try spawn(arguments)
        let deadline = ContinuousClock.now + .seconds(10)
        while !errorText.contains("listening on") {
            guard !hasExited, ContinuousClock.now < deadline else {
                stopProcess()
                let reason = errorText.split(separator: "\n").first.map(String.init) ?? "no output"
                throw Failure(description: "tcpdump did not start listening on \(interface) in \(namespace): \(reason)")
            }
            readErrors(waitingMilliseconds: 50)
        }
    }

    /// Stops the capture and returns how many packets the kernel dropped (tcpdump's count).
    func stop() throws(Failure) -> Int {
        // Packets still on their way to the capture socket.
        usleep(200_000)
        stopProcess()
        while readErrors(waitingMilliseconds: 0) {}
        // Exited with 0, or ended by the SIGINT itself (the wait status's low seven bits are the signal).
        let signal = status & 0x7f
        let stoppedCleanly = signal == 0 ? (status >> 8) & 0xff == 0 : signal == SIGINT
        guard stoppedCleanly else {
            throw Failure(description: "tcpdump ended with status \(status): \(errorText)")
        }
        for line in errorText.split(separator: "\n") where line.hasSuffix("packets dropped by kernel") {
            if let count = Int(line.split(separator: " ").first ?? "") { return count }
        }
        return 0
    }

    deinit {
        stopProcess()
        if errorDescriptor >= 0 { close(errorDescriptor) }
    }

    /// The tcpdump processes running, so that an interrupted check can stop them: a capture left
    /// running would keep its deleted namespace alive.
    private static let running = RunningProcesses()

    /// Stops every capture still running (from a signal handler's queue).
    static func stopAll() { running.interruptAll() }

    private func spawn(_ arguments: [String]) throws(Failure) {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw Failure(description: "pipe: \(String(cString: strerror(errno)))") }
        errorDescriptor = pipeEnds[0]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let result = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, environ)
        close(pipeEnds[1])
        if result == 0 { Self.running.insert(pid) }
        guard result == 0 else {
            throw Failure(description: "could not start tcpdump: \(String(cString: strerror(result)))")
        }
    }

    private var hasExited: Bool {
        if !exited, pid > 0, waitpid(pid, &status, WNOHANG) == pid { exited = true }
        return exited
    }

    private func stopProcess() {
        defer { if pid > 0 { Self.running.remove(pid) } }
        guard pid > 0, !hasExited else { return }
        kill(pid, SIGINT)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        exited = true
    }

    /// Reads what tcpdump wrote to its standard error; false once nothing more is there.
    @discardableResult
    private func readErrors(waitingMilliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: errorDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, waitingMilliseconds) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(errorDescriptor, &buffer, buffer.count)
        guard count > 0 else { return false }
        errorText += String(decoding: buffer[..<count], as: UTF8.self)
        return true
    }
}

/// Process ids behind a lock, read from a signal handler's queue.
private final class RunningProcesses: @unchecked Sendable {
    private let lock = NSLock()
    private var pids: Set<pid_t> = []

    func insert(_ pid: pid_t) { lock.withLock { _ = pids.insert(pid) } }
    func remove(_ pid: pid_t) { lock.withLock { _ = pids.remove(pid) } }

    /// Sends SIGINT to every process, and waits up to a second for each to finish its file.
    func interruptAll() {
        let all = lock.withLock { pids }
        for pid in all { kill(pid, SIGINT) }
        for pid in all {
            for _ in 0..<100 {
                if waitpid(pid, nil, WNOHANG) != 0 { break }
                usleep(10_000)
            }
        }
    }
}
