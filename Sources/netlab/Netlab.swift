import ArgumentParser
import NetLabCore
import NetLabModel

#if canImport(Glibc)
    import Glibc
#endif

/// The `netlab` command: a root with one subcommand per job.
@main
struct Netlab: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "netlab",
        abstract: "A discrete-event lab for the question: should these containers share a pod?",
        discussion: """
            netlab simulates intra-pod (loopback, IPC) traffic against pod-to-pod traffic on one node \
            and across nodes, for alternative groupings of containers into pods and pods onto nodes, \
            and reports latency percentiles, throughput, drops and utilisation side by side.

            It searches the groupings you did not write and recommends one (advise), reads real \
            captures (inspect) and replays their traffic through the same groupings (replay), measures \
            the host it runs on and fits a profile to it (calibrate), and measures its own speed \
            (bench).

            Examples:
              netlab simulate Examples/web-log-sidecar.json
              netlab simulate Examples/web-log-sidecar.json --replications 10 \\
                  --output report.html
              netlab advise Examples/online-shop.json
              netlab sweep Examples/web-log-sidecar.json \\
                  --set "flows[http].rate=1000/s,2000/s,4000/s"
              netlab import k8s Examples/k8s/online-boutique.yaml \\
                  --traffic Examples/k8s/traffic.yaml --output shop.yaml
              netlab compare baseline.json current.json --tolerance 5%
              netlab inspect Traces/pod-to-pod-http.pcap
              netlab replay Traces/pod-to-pod-http.pcap --mode causal \\
                  --map Traces/pod-to-pod-http.map.json \\
                  --topology Examples/replay-pairs.json
              netlab calibrate --quick --output my-host.json
              netlab bench hold --pending 100000 --events 20000000

            Errors print one line, 'netlab: <where>: <what>; <how to fix>', and exit with status 2.
            """,
        version: version,
        subcommands: [
            Simulate.self, Advise.self, Sweep.self, Merge.self, Import.self, Export.self, Compare.self, Inspect.self,
            Replay.self, Calibrate.self,
            Bench.self,
        ]
    )

    /// Parses the arguments, runs the command, and turns every failure into netlab's one-line
    /// error and exit status 2 (help and version requests still exit 0).
    static func main() {
        AllocatorPolicy.holdMemoryToWhatIsUsed()
        unblockSignals()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as LocatedError {
            // Bad input of every kind (files, options, values): where, what, how to fix it.
            fail(error.description)
        } catch let code as ExitCode where code != .success {
            // A verdict (an objective missed), already explained on standard error.
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is CleanExit || code == ExitCode.failure && "\(error)".isEmpty {
                exit(withError: error)
            }
            // ArgumentParser lists a refused value's choices on lines of their own: one line here.
            let lines = fullMessage(for: error).split(separator: "\n").map(String.init)
            var message = lines.first?.replacingPrefix("Error: ", with: "") ?? "\(error)"
            if message.hasSuffix(":") {
                let choices = lines.dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
                    .prefix { $0.hasPrefix("- ") }.map { $0.dropFirst(2) }
                if !choices.isEmpty { message += " " + choices.joined(separator: ", ") }
            }
            while message.hasSuffix(".") { message.removeLast() }
            if let (typed, suggestion) = closestSubcommand() {
                fail("unknown command '\(typed)'; did you mean '\(suggestion)'? see 'netlab --help'")
            }
            fail("\(message); see 'netlab --help' and the subcommand's --help")
        }
    }

    /// When the first argument is not a command, the command it is closest to (if any is close).
    static func closestSubcommand() -> (typed: String, suggestion: String)? {
        guard let typed = CommandLine.arguments.dropFirst().first, !typed.hasPrefix("-") else { return nil }
        let names = configuration.subcommands.map { $0._commandName }
        guard !names.contains(typed) else { return nil }
        return nearest(to: typed, among: names).map { (typed, $0) }
    }

    static func fail(_ message: String) -> Never {
        var standardError = StandardError()
        print("netlab: \(message.escapingControlCharacters)", to: &standardError)
        Glibc.exit(2)
    }
}

/// Writes to the process's standard error.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}

extension Netlab {
    /// Takes every signal out of the blocked set netlab started with. A process inherits its
    /// parent thread's blocked signals, and some launchers (test runners, supervisors, a thread
    /// pool's worker) block SIGINT and SIGTERM: netlab would then never hear Ctrl-C or a kill, and
    /// an interrupted calibration could not delete its namespaces.
    static func unblockSignals() {
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_UNBLOCK, &all, nil)
    }
}
