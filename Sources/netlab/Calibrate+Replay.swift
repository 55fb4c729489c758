import Dispatch
import Foundation
import NetLabCalibrate
import NetLabCore
import NetLabModel

#if canImport(Glibc)
    import Glibc
#endif

extension Calibrate {
    /// What `--replay` needs, checked before anything is measured.
    static func checkReplayRequirements() throws {
        guard getuid() == 0 else {
            throw InputError(
                source: "--replay", location: nil,
                problem: "the replay check creates network namespaces and captures in them, which needs root",
                fix: "run it as root, or leave --replay out")
        }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .split(separator: ":")
        guard paths.contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/tcpdump") }) else {
            throw InputError(
                source: "--replay", location: nil, problem: "tcpdump is not installed",
                fix: "install it (apt-get install tcpdump), or leave --replay out")
        }
    }

    /// Runs the replay check with `profile`, in namespaces made for it and deleted again
    /// (Ctrl-C included).
    func replayCheck(profile: CostProfile, cores: Int) throws -> ReplayCheckRecord {
        Self.removeStaleNamespaces()
        let namespaces = CalibrationNamespaces()
        defer { namespaces.tearDown() }
        if namespaces.available.contains(.routed), let missing = namespaces.unavailable.first(where: { $0.0 == .vxlan })
        {
            var standardError = StandardError()
            print(
                "netlab: note: the replay check leaves out its VXLAN placement: \(missing.1)", to: &standardError)
        }
        let signals = [SIGINT, SIGTERM, SIGHUP]
        for number in signals { signal(number, SIG_IGN) }
        let sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                ReplayCheck.abandon()
                namespaces.tearDown()
                var standardError = StandardError()
                let kept = keptCaptures.map { "; those kept so far are in \($0), without a README" } ?? ""
                print(
                    "netlab: calibrate: interrupted during the replay check; its captures stopped and deleted, every namespace deleted\(kept)",
                    to: &standardError)
                Glibc.exit(128 + number)
            }
            source.resume()
            return source
        }
        defer {
            sources.forEach { $0.cancel() }
            for number in signals { signal(number, SIG_DFL) }
        }
        let progress = ProgressLine(label: "calibrate --replay")
        defer { progress.finish() }
        do {
            let kept = keptCaptures.map { URL(fileURLWithPath: $0) }
            let record = try ReplayCheck(quick: quick, cores: cores, keepingCapturesIn: kept).run(
                profile: profile, namespaces: namespaces
            ) { progress.update($0) }
            if let keptCaptures {
                progress.finish()
                var standardError = StandardError()
                print(
                    "netlab: note: the replay check's captures are in \(keptCaptures); its README.txt has the command that replays each",
                    to: &standardError)
            }
            return record
        } catch {
            throw InputError(
                source: "--replay", location: nil, problem: error.description,
                fix: "the calibration above is complete without it; see docs/calibration.md (the replay check)")
        }
    }
}
