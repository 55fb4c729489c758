import Foundation
import Testing

/// The engine's promise, held as a gate: once a run is going, simulating allocates nothing per
/// event. The release `netlab` runs each example for a time and for twice that time, with the
/// allocator counted (libNetLabMallocCounter.so preloaded); the longer run executes hundreds of
/// thousands more events but may allocate only a handful more (arrays that grow once to their
/// run's high-water mark). One allocation per event, or per message, would add thousands.
///
/// The gate needs the release build (`swift build -c release`, which CI runs before it): a debug
/// build allocates where the optimiser would not, about 1.4 times per event.
@Suite(
    .enabled(
        if: AllocationGate.release != nil,
        "needs a release build (swift build -c release) of netlab and libNetLabMallocCounter.so"))
struct AllocationGateTests {
    @Test(arguments: [
        ("bulk-stream.json", "backup-same-node"), ("bulk-stream.json", "backup-cross-node"),
        ("frontend-backend-cache.json", "all-separate"), ("web-log-sidecar.json", "sidecar-in-pod"),
        ("service-mesh.json", "sidecars"), ("online-shop.json", "one-pod-per-container"),
    ])
    func aRunningSimulationAllocatesNothingPerEvent(example: String, grouping: String) throws {
        let path = KubernetesCommandTests.examples.appendingPathComponent(example).path
        let short = try AllocationGate.count(["simulate", path, "--grouping", grouping, "--format", "table"], "400ms")
        let long = try AllocationGate.count(["simulate", path, "--grouping", grouping, "--format", "table"], "800ms")
        let events =
            try AllocationGate.events(path, grouping: grouping, "800ms")
            - AllocationGate.events(path, grouping: grouping, "400ms")
        #expect(events > 30_000, "the longer run must execute many more events: \(events)")
        #expect(
            long - short <= 64,
            "\(long - short) more allocations for \(events) more events (\(short) → \(long)): the event loop allocates")
    }

    /// The counter sees allocations that grow with a run: the JSON report writes one entry per
    /// histogram bucket in use, and a longer run fills more. (So a gate that passes is not a
    /// counter that counts nothing.)
    @Test func theCounterSeesAllocationsThatGrowWithTheRun() throws {
        let path = KubernetesCommandTests.examples.appendingPathComponent("web-log-sidecar.json").path
        let arguments = ["simulate", path, "--grouping", "sidecar-in-pod", "--format", "json"]
        let short = try AllocationGate.count(arguments, "400ms")
        let long = try AllocationGate.count(arguments, "1600ms")
        #expect(short > 1_000)
        #expect(long - short > 200, "\(short) → \(long)")
    }
}

enum AllocationGate {
    /// The release build's `netlab` and counter library, beside the debug build the tests run in.
    static var release: (netlab: URL, counter: URL)? {
        let build = NetlabBinary.url.deletingLastPathComponent().deletingLastPathComponent()
        let netlab = build.appendingPathComponent("release/netlab")
        let counter = build.appendingPathComponent("release/libNetLabMallocCounter.so")
        guard FileManager.default.isExecutableFile(atPath: netlab.path),
            FileManager.default.fileExists(atPath: counter.path)
        else { return nil }
        return (netlab, counter)
    }

    /// Allocations of one release `netlab` run of `arguments` with `--duration duration`.
    static func count(_ arguments: [String], _ duration: String) throws -> Int {
        let (netlab, counter) = try #require(release)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-mallocs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = netlab
        process.arguments = arguments + ["--duration", duration]
        process.environment = [
            "LD_PRELOAD": counter.path, "NETLAB_MALLOC_COUNT_FILE": file.path, "PATH": "/usr/bin:/bin",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let text = try String(contentsOf: file, encoding: .utf8)
        return try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Events the run executed (from its JSON report, without the counter).
    static func events(_ path: String, grouping: String, _ duration: String) throws -> Int {
        let (netlab, _) = try #require(release)
        let result = try runProgram(
            netlab, ["simulate", path, "--grouping", grouping, "--duration", duration, "--format", "json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let groupings = try #require(object["groupings"] as? [[String: Any]])
        return try #require(groupings.first?["events"] as? Int)
    }
}
