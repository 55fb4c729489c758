import ArgumentParser
import Dispatch
import Foundation
import NetLabCalibrate
import NetLabCore
import NetLabModel
import NetLabReport

#if canImport(Glibc)
    import Glibc
#endif

/// `netlab calibrate`: measure this host, fit a profile to it, and say how far the model is from it.
struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure this host with real programs, fit a profile to it, and report how well it predicts.",
        discussion: """
            Runs ping-pong round trips (64 B to 64 KiB) over loopback TCP and UDP, Unix stream and \
            datagram sockets, pipes and shared memory (futex and spinning), with the two processes \
            on one core and on two, blocking and busy-polling; between two network namespaces on a \
            Linux bridge (pods on one node); between two namespaces joined by a veth pair, routed \
            and over VXLAN (a stand-in for two nodes: the NIC and switch figures stay yours to set); \
            and bulk streams (TCP under CUBIC and under the host's default; between pods also \
            through a 10 Gbit token bucket on the client's interface, as `tc tbf` and the \
            Kubernetes bandwidth plugin shape a pod). Each case runs 3 times, interleaved.

            The fit chooses the profile's host figures to minimise the squared log error of the \
            64 B and 16 KiB round trips (the training set); 1 KiB, 64 KiB and the streams are held \
            out, and their errors say how far to trust the profile. --quick measures fewer cases \
            (under a minute); the full run takes a few minutes.

            Namespaces need root; without it only the in-pod cases run, and the skipped ones are \
            named. Everything made (namespaces nlcal-*) is deleted on exit, Ctrl-C included. \
            See docs/calibration.md.

            Examples:
              netlab calibrate --quick --output my-host.json
              netlab simulate Examples/web-log-sidecar.json --profile my-host.json
              netlab calibrate --check my-host.json
              netlab calibrate --measurements my-host.json --check linux-default
              netlab calibrate --measurements my-host.json --check my-host.json --replay
            """)

    @Flag(help: "Measure a smaller set of cases (under a minute).")
    var quick = false

    @Flag(
        help:
            "Only delete the network namespaces (nlcal-<pid>-…) of calibrations that were killed before they could, and say which; every calibration also does this first."
    )
    var cleanup = false

    @Option(help: ArgumentHelp("Write the fitted profile to this file.", valueName: "profile.json"))
    var output: String?

    @Option(
        help: ArgumentHelp("Predict with this profile (a name or a file) instead of fitting one.", valueName: "profile")
    )
    var check: String?

    @Option(
        help: ArgumentHelp(
            "Reuse the measurements in this file (written by --output) instead of measuring.", valueName: "file"))
    var measurements: String?

    @Flag(
        help: ArgumentHelp(
            "Also check replay on this host: run a reference application in each placement, capture it with tcpdump, replay each capture through every placement with the profile, and compare (needs root and tcpdump).",
            discussion: "Its figures go into the report and into the profile file's replay_check."))
    var replay = false

    @Option(
        name: .customLong("keep-captures"),
        help: ArgumentHelp(
            "With --replay: keep the check's captures in this directory, each with its map, the check's topology and a README of the netlab replay commands.",
            valueName: "directory"))
    var keptCaptures: String?

    @OptionGroup var format: FormatOption<CalibrateFormat>

    /// The options' combinations, checked before anything runs. Called from `run()`, not as
    /// ArgumentParser's `validate()`, which would wrap the error and lose its one-line form.
    func checkOptions() throws {
        if check != nil, output != nil {
            throw InputError(
                source: "--output", location: nil, problem: "writes a fitted profile, and --check does not fit",
                fix: "drop one of them")
        }
        if keptCaptures != nil, !replay {
            throw InputError(
                source: "--keep-captures", location: nil,
                problem: "keeps the replay check's captures, and there is no check",
                fix: "add --replay, or drop --keep-captures")
        }
        var isDirectory: ObjCBool = false
        if let keptCaptures, FileManager.default.fileExists(atPath: keptCaptures, isDirectory: &isDirectory),
            !isDirectory.boolValue
        {
            throw InputError(
                source: "--keep-captures", location: nil, problem: "\(keptCaptures) is a file, not a directory",
                fix: "name a directory (made if missing)")
        }
        if replay { try Self.checkReplayRequirements() }
    }

    func run() throws {
        if cleanup {
            guard getuid() == 0 else {
                throw InputError(
                    source: "--cleanup", location: nil, problem: "deleting network namespaces needs root",
                    fix: "run it as root")
            }
            let removed = CalibrationNamespaces.removeStale()
            print(
                removed.isEmpty
                    ? "no namespace of an interrupted calibration was left"
                    : "removed \(removed.count): \(removed.joined(separator: ", "))")
            return
        }
        try checkOptions()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // A profile to check is read first, so that a mistake in it does not wait for the measurements.
        let checked = try check.map { try profileNamed($0, option: "--check") }
        var measured: [CalibrationMeasurement]
        var skipped: [(name: String, why: String)] = []
        var provenance: CalibrationRecord.Provenance? = HostDescription.current(netlabVersion: Netlab.version)
        if let measurements {
            measured = try ProfileReader.measurements(try readInput(measurements), file: measurements)
            provenance = nil
        } else {
            let outcome = measureHost(cores: cores)
            measured = outcome.measurements
            skipped = outcome.skipped
            if outcome.interrupted {
                let record = CalibrationRecord(provenance: provenance, measurements: measured, skipped: skipped)
                printReport(record, profileName: "none (interrupted before the fit)", jsonName: "none")
                var standardError = StandardError()
                print(
                    "netlab: calibrate: interrupted; \(measured.count) case(s) measured as shown, every namespace deleted",
                    to: &standardError)
                Glibc.exit(130)
            }
        }
        guard !measured.isEmpty else {
            throw InputError(
                source: "calibrate", location: nil,
                problem: "nothing could be measured (\(skipped.first?.why ?? "no cases"))",
                fix: "see the reasons above; run as root for the namespace cases")
        }
        let result = CalibrationResult(
            measured: measured, skipped: skipped, provenance: provenance, checking: checked, cores: cores)
        let profile = result.profile
        var record = result.record
        // A replay check that fails does not cost the calibration: its profile and report are
        // still written, and the failure is reported after them.
        var replayFailure: (any Error)?
        if replay {
            do { record.replayCheck = try replayCheck(profile: profile, cores: cores) } catch { replayFailure = error }
        }
        if let output {
            try writeOutput(
                CalibrationReport.profileFile(record, base: "linux-default", overrides: result.overrides).rendered()
                    + "\n",
                to: output)
        }
        printReport(record, profileName: check ?? "calibrated (fitted now)", jsonName: check ?? "calibrated")
        if let replayFailure { throw replayFailure }
    }

    /// The report in the format asked for (also when a run was interrupted): `profileName` for
    /// people, `jsonName` in the JSON.
    func printReport(_ record: CalibrationRecord, profileName: String, jsonName: String) {
        switch format.resolvedForStandardOutput {
        case .json:
            print(CalibrationReport.json(record, profileName: jsonName).rendered())
        case .html:
            let files = measurements.map { [($0, (try? readInput($0)) ?? "")] } ?? []
            print(
                CalibrationReport.html(
                    record, profileName: profileName,
                    inputs: ReportInputs(command: commandLineText, netlabVersion: Netlab.version, files: files)),
                terminator: "")
        case .table:
            print(CalibrationReport.table(record, profileName: profileName), terminator: "")
        }
    }

    /// Measures the plan, with progress and an ETA on a terminal; Ctrl-C stops between two
    /// measurements, and the namespaces are deleted in every case.
    func measureHost(cores: Int) -> (
        measurements: [CalibrationMeasurement], skipped: [(name: String, why: String)], interrupted: Bool
    ) {
        let host = HostCongestionControl.current()
        if host.modelled == nil {
            var standardError = StandardError()
            print(
                "netlab: note: this host's default congestion control is \(host.name), which netlab does not model; TCP streams are measured under cubic only",
                to: &standardError)
        }
        let plan = CalibrationPlan.cases(quick: quick, cores: cores, hostCongestionControl: host.modelled)
        let stop = StopFlag()
        let signals = [SIGINT, SIGTERM, SIGHUP]
        for number in signals { signal(number, SIG_IGN) }
        let sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.set() }
            source.resume()
            return source
        }
        defer {
            sources.forEach { $0.cancel() }
            for number in signals { signal(number, SIG_DFL) }
        }
        Self.removeStaleNamespaces()
        let namespaces = CalibrationNamespaces(creating: plan.cases.contains { $0.path.needsNamespaces })
        defer { namespaces.tearDown() }
        let progress = ProgressLine(label: "calibrate")
        let start = ContinuousClock.now
        let outcome = HostCalibration(quick: quick).measure(
            plan.cases, namespaces: namespaces,
            progress: { done, total in
                let elapsed = (ContinuousClock.now - start) / .seconds(1)
                let remaining = Int(saturating: (elapsed / Double(done) * Double(total - done)).rounded())
                progress.update("\(done)/\(total) measurements, about \(remaining) s left")
            }, shouldStop: { stop.isSet })
        progress.finish()
        return (outcome.measurements, plan.skipped + outcome.skipped, outcome.interrupted)
    }
}

/// Set from a signal handler's queue, read by the measuring loop.
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// `netlab calibrate`'s report formats.
enum CalibrateFormat: String, ReportFormats {
    case table, json, html
    static let help = "Report format: table, json or html (a self-contained page with charts)."
    /// `--output` is the fitted profile, not the report.
    static let namedByOutputFile = false
}

extension Calibrate {
    /// Deletes the namespaces of calibrations that were killed before they could, and says so.
    static func removeStaleNamespaces() {
        guard getuid() == 0 else { return }
        let removed = CalibrationNamespaces.removeStale()
        guard !removed.isEmpty else { return }
        var standardError = StandardError()
        print(
            "netlab: note: removed \(removed.count) network namespace(s) an interrupted calibration left: \(removed.prefix(6).joined(separator: ", "))\(removed.count > 6 ? ", …" : "")",
            to: &standardError)
    }
}
