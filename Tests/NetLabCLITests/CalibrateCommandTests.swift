import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `netlab calibrate` on this host: the profile it writes, and that it leaves nothing behind.
/// Serialized: two calibrations at once would disturb each other's timings.
@Suite(.serialized) struct CalibrateCommandTests {
    /// Whether this machine lets us make a network namespace (root, iproute2, a kernel and
    /// sandbox that allow it): tried once, with a namespace deleted at once.
    static let canMakeNamespaces: Bool = {
        guard getuid() == 0 else { return false }
        let name = "nlcal-probe-\(getpid())"
        func ip(_ arguments: [String]) -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["ip"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
        guard ip(["netns", "add", name]) else { return false }
        return ip(["netns", "del", name])
    }()

    static let hasTcpdump: Bool = {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/sbin").split(separator: ":")
        return paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/tcpdump") }
    }()

    /// The network namespaces the calibration run `pid` made (`nlcal-<pid>-*`) that still exist.
    static func leftoverNamespaces(of pid: Int32) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/var/run/netns")) ?? []
        return names.filter { $0.hasPrefix("nlcal-\(pid)-") }
    }

    /// Starts `netlab` (the release build when it is current: a calibration's fit takes minutes
    /// in a debug build) with `arguments`; its output pipes and the process.
    static func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = NetlabBinary.fastest
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return (process, output, error)
    }

    @Test(.enabled(if: canMakeNamespaces, "needs root, iproute2's ip and permission to create network namespaces"))
    func quickRunWritesAProfileWithItsProvenanceAndCleansUp() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-calibrated-\(getpid()).json")
            .path
        defer { try? FileManager.default.removeItem(atPath: file) }
        // With tcpdump, the replay check runs too and goes into the profile file.
        let replay = Self.hasTcpdump
        if !replay { print("CalibrateCommandTests: the replay check part is skipped: tcpdump is not installed") }
        let (process, output, error) = try Self.start(
            ["calibrate", "--quick", "--output", file, "--format", "json"] + (replay ? ["--replay"] : []))
        let report = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
        #expect(
            Self.leftoverNamespaces(of: process.processIdentifier).isEmpty,
            "left behind: \(Self.leftoverNamespaces(of: process.processIdentifier))")
        let profile = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        #expect(profile["base"] as? String == "linux-default")
        let overrides = try #require(profile["overrides"] as? [String: Any])
        for field in ["wakeup", "context_switch", "socket_send", "pipe_write", "veth_per_packet", "nic_transmit"] {
            #expect(
                (overrides[field] as? String)?.hasSuffix("ps") == true,
                "override \(field): \(overrides[field] ?? "missing")")
        }
        for spread in ["work_sigma", "wakeup_sigma", "context_switch_sigma"] {
            let sigma = overrides[spread] as? Double
            #expect(
                sigma != nil && sigma! >= 0 && sigma! <= 1.2, "override \(spread): \(overrides[spread] ?? "missing")")
        }
        let provenance = try #require(profile["provenance"] as? [String: Any])
        for key in ["host", "cpu", "cores", "kernel", "virtualization", "date", "netlab"] {
            #expect(provenance[key] != nil, "provenance.\(key)")
        }
        let cases = try #require(profile["cases"] as? [[String: Any]])
        #expect(cases.count >= 30)
        if replay {
            let check = try #require(profile["replay_check"] as? [String: Any])
            // Two workloads in each placement (three, and VXLAN where the host makes VXLAN
            // devices), each replayed through every other.
            let placements = try #require(check["placements"] as? [String])
            #expect(placements.count == 3 || placements.count == 4, "\(placements)")
            #expect((check["captures"] as? [[String: Any]])?.count == 2 * placements.count)
            #expect((check["predictions"] as? [[String: Any]])?.count == 2 * placements.count * (placements.count - 1))
            let summary = try #require(check["summary"] as? [String: Any])
            #expect(summary["median_abs_p50_error"] as? Double != nil)
            let shown = try #require(try JSONSerialization.jsonObject(with: report) as? [String: Any])
            #expect(shown["replay_check"] != nil, "the report carries the check too")
        }
        #expect(Set(cases.compactMap { $0["path"] as? String }) == ["in-pod", "bridge", "routed"])
        #expect(Set(cases.compactMap { $0["set"] as? String }) == ["training", "held-out"])
        // The bridge streams ran through the pod's token bucket too (tc tbf in the client's
        // namespace), unless this kernel has no tbf qdisc, which the run names as the reason.
        let shaped = cases.filter { $0["shaper"] != nil }
        let skipped = ((profile["fit"] as? [String: Any])?["skipped"] as? [[String: String]]) ?? []
        let kernelLacksTBF = skipped.first { entry in
            entry["case"]?.hasSuffix("tbf 10Gbps") == true
                && ["qdisc kind is unknown", "Unknown qdisc", "No such file or directory"].contains { kind in
                    entry["why"]?.contains(kind) == true
                }
        }
        if let tbfMissing = kernelLacksTBF, shaped.isEmpty {
            print("CalibrateCommandTests: the shaped streams are not checked: \(tbfMissing["why"] ?? "skipped")")
        } else {
            #expect(shaped.count >= 1 && shaped.allSatisfy { $0["path"] as? String == "bridge" }, "\(shaped)")
            #expect(shaped.allSatisfy { ($0["measured"] as? Double ?? .infinity) < 10.5e9 }, "\(shaped)")
        }
        for item in cases {
            #expect((item["repetitions"] as? [Double])?.count == 3, "\(item["case"] ?? "?")")
            if item["kind"] as? String == "round-trip" {
                let tails = item["tails"] as? [[String: Double]]
                #expect(tails?.count == 3, "\(item["case"] ?? "?") has a tail per repetition")
                #expect(tails?.allSatisfy { $0["p99"]! >= $0["p90"]! && $0["p999"]! >= $0["p99"]! } == true)
            }
            #expect(item["predicted"] as? Double != nil && item["measured"] as? Double != nil)
        }
        // The profile is usable as it is (both runs in the release build where it is current, as
        // the calibration: predicting every case takes minutes in a debug build).
        let simulate = try NetlabBinary.runFastest([
            "simulate", SimulateCommandTests.example, "--duration", "200ms", "--profile", file, "--format", "json",
        ])
        #expect(simulate.status == 0, "\(simulate.standardError)")
        // And its measurements can be checked against another profile without measuring again.
        let check = try NetlabBinary.runFastest([
            "calibrate", "--measurements", file, "--check", "linux-default", "--format", "json",
        ])
        #expect(check.status == 0, "\(check.standardError)")
        #expect(check.standardOutput.contains("\"held_out_summary\""))
    }

    @Test(.enabled(if: canMakeNamespaces, "needs root, iproute2's ip and permission to create network namespaces"))
    func interruptedRunLeavesNothingBehindAndSaysWhatItMeasured() throws {
        let (process, output, error) = try Self.start(["calibrate", "--format", "table"])
        // Interrupted once measuring has begun: the namespaces are all set up (the last one made
        // is the VXLAN server pod's), then two more seconds of measurements.
        let ready = Date().addingTimeInterval(60)
        while !Self.leftoverNamespaces(of: process.processIdentifier).contains("nlcal-\(process.processIdentifier)-xb"),
            Date() < ready, process.isRunning
        {
            Thread.sleep(forTimeInterval: 0.1)
        }
        Thread.sleep(forTimeInterval: 2)
        kill(process.processIdentifier, SIGINT)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(message)")
        #expect(message.contains("interrupted"))
        #expect(text.contains("in-pod tcp 64B"), "the cases measured before the interruption are shown")
        #expect(
            Self.leftoverNamespaces(of: process.processIdentifier).isEmpty,
            "left behind: \(Self.leftoverNamespaces(of: process.processIdentifier))")
    }

    /// `--cleanup` deletes the namespaces of a calibration whose process is gone and keeps those of
    /// one still running (here, the test process itself).
    @Test(.enabled(if: canMakeNamespaces, "needs root, iproute2's ip and permission to create network namespaces"))
    func cleanupRemovesOnlyWhatKilledRunsLeft() throws {
        let gone = "nlcal-2147483646-node", alive = "nlcal-\(getpid())-node"
        for name in [gone, alive] {
            _ = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["ip", "netns", "add", name])
        }
        defer { _ = try? runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["ip", "netns", "del", alive]) }
        let result = try NetlabBinary.run(["calibrate", "--cleanup"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("removed 1: \(gone)"), "\(result.standardOutput)")
        #expect(Self.leftoverNamespaces(of: 2_147_483_646).isEmpty)
        #expect(Self.leftoverNamespaces(of: getpid()) == ["nlcal-\(getpid())-node"])
    }

    @Test(arguments: [
        (["calibrate", "--format", "csv"], "Please provide one of 'table', 'json' or 'html'"),
        (["calibrate", "--check", "linux-default", "--output", "x.json"], "drop one of them"),
        (["calibrate", "--keep-captures", "kept"], "add --replay, or drop --keep-captures"),
        (["calibrate", "--replay", "--keep-captures", "/etc/passwd"], "is a file, not a directory"),
        (["calibrate", "--measurements", "/nonexistent/m.json"], "no such file"),
        (["calibrate", "--check", "/nonexistent/p.json"], "neither a built-in profile nor a file"),
    ])
    func badArgumentsGiveOneLineErrorAndStatusTwo(arguments: [String], mention: String) throws {
        let result = try NetlabBinary.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(mention), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    /// `--replay` without root or tcpdump stops before measuring anything, saying which is missing.
    @Test func replayCheckNamesWhatItLacks() throws {
        let result = try runProgram(
            URL(fileURLWithPath: "/usr/bin/env"), ["PATH=/nonexistent", NetlabBinary.url.path, "calibrate", "--replay"])
        #expect(result.status == 2, "\(result.standardError)")
        let expected = getuid() == 0 ? "tcpdump is not installed" : "needs root"
        #expect(result.standardError.contains(expected), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test func malformedProfileOrMeasurementsNameTheFileAndPlace() throws {
        let directory = FileManager.default.temporaryDirectory
        let broken = directory.appendingPathComponent("netlab-broken-\(getpid()).json").path
        try #"{ "base": "linux-default", "overrides": { "wakeup": 30 } }"#.write(
            toFile: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: broken) }
        let check = try NetlabBinary.run(["calibrate", "--measurements", broken, "--check", "linux-default"])
        #expect(check.status == 2)
        #expect(
            check.standardError.contains("\(broken):1:1") && check.standardError.contains("cases"),
            "\(check.standardError)")
        // The profile is checked before anything is measured.
        let profile = try NetlabBinary.run(["calibrate", "--check", broken])
        #expect(profile.status == 2)
        #expect(
            profile.standardError.contains(broken) && profile.standardError.contains("overrides.wakeup"),
            "\(profile.standardError)")
    }
}
