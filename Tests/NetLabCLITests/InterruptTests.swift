import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// netlab hears Ctrl-C even when it was started with SIGINT blocked, as a test runner's or a
/// supervisor's thread starts it.
struct InterruptTests {
    @Test func aBlockedSIGINTIsUnblockedAtStart() throws {
        var interrupt = sigset_t(), previous = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        // Blocked in this thread, so the child inherits the block whatever the runner does.
        pthread_sigmask(SIG_BLOCK, &interrupt, &previous)
        let process = Process()
        process.executableURL = NetlabBinary.url
        process.arguments = ["bench", "hold", "--pending", "1000", "--events", "1e11", "--format", "json"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let started = Result { try process.run() }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        try started.get()
        // Long enough to be past the start; the run itself would take minutes.
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let stopped = !process.isRunning
        if !stopped { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(stopped, "netlab ran on for 10 s after SIGINT")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT)
    }
}
