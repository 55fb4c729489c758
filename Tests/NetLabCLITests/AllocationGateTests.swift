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

    /// A cluster (20 nodes, 200 containers in 40 pods, 2,000 TCP rpc flows of 100 calls/s with
    /// exponential responses, as the cluster-model benchmark's generator makes them): its many
    /// per-flow structures each grow a few times to their high-water mark (a histogram meeting a
    /// new latency range, a window meeting a larger response), so the longer run allocates a few
    /// thousand more times, but not once per call: one allocation per call or per event would add
    /// at least the 80,000 calls and million events that the second 400 ms holds.
    @Test func aRunningClusterAllocatesFarLessThanOncePerCall() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-gate-cluster-\(getpid()).json")
        try AllocationGate.cluster(nodes: 20, containers: 200, flows: 2_000).write(
            to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let arguments = ["simulate", path.path, "--format", "table"]
        let short = try AllocationGate.count(arguments, "400ms")
        let long = try AllocationGate.count(arguments, "800ms")
        let events =
            try AllocationGate.events(path.path, grouping: "g", "800ms")
            - AllocationGate.events(path.path, grouping: "g", "400ms")
        let calls = 2_000 * 100 * 4 / 10
        #expect(events > 1_000_000, "the longer run must execute many more events: \(events)")
        #expect(
            long - short < calls / 10,
            "\(long - short) more allocations for \(calls) more calls and \(events) more events (\(short) → \(long))")
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

    /// A cluster topology as the cluster-model benchmark generates it: `nodes` nodes of 32 cores,
    /// `containers` containers in pods of five spread round robin, and `flows` rpc flows between
    /// containers drawn at random (fixed seed), 200 B requests, exponential 2 KiB responses, 100
    /// calls/s each.
    static func cluster(nodes: Int, containers: Int, flows: Int) -> String {
        var state: UInt64 = 1
        func draw(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let nodeList = (0..<nodes).map { #"{ "name": "node-\#($0)", "cores": 32, "nic": { "rate": "25Gbps" } }"# }
        let containerList = (0..<containers).map { #"{ "name": "c\#($0)", "cpu": 0.25 }"# }
        let flowList = (0..<flows).map { index -> String in
            let from = draw(containers)
            var to = draw(containers)
            if to == from { to = (to + 1) % containers }
            return
                #"{ "name": "f\#(index)", "from": "c\#(from)", "to": "c\#(to)", "pattern": "rpc", "request": "200B", "response": { "exp": "2KiB" }, "rate": "100/s" }"#
        }
        let pods = (0..<containers / 5).map { pod in
            let members = (pod * 5..<pod * 5 + 5).map { "\"c\($0)\"" }.joined(separator: ", ")
            return #"{ "name": "p\#(pod)", "containers": [\#(members)], "node": "node-\#(pod % nodes)" }"#
        }
        return """
            { "name": "gate-cluster", "duration": "1s", "warmup": "100ms",
              "cluster": { "nodes": [\(nodeList.joined(separator: ", "))], "fabric": { "rate": "100Gbps", "latency": "2us" } },
              "containers": [\(containerList.joined(separator: ", "))],
              "flows": [\(flowList.joined(separator: ",\n"))],
              "groupings": [ { "name": "g", "pods": [\(pods.joined(separator: ", "))] } ] }
            """
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
