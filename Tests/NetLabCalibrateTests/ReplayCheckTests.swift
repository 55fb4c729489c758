import Foundation
import NetLabCalibrate
import NetLabModel
import NetLabReplay
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `calibrate --replay` on this host: the reference application captured in network namespaces
/// and replayed through every placement.
@Suite(.serialized) struct ReplayCheckTests {
    /// Root, iproute2 and tcpdump: what the check needs.
    static let canCapture: Bool = {
        guard getuid() == 0 else { return false }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/sbin").split(separator: ":")
        return ["ip", "tcpdump"].allSatisfy { tool in
            paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
    }()

    @Test(.enabled(if: canCapture, "needs root, iproute2's ip and tcpdump"))
    func everyCaptureIsReplayedThroughEveryPlacementAndNothingIsLeftBehind() throws {
        let namespaces = CalibrationNamespaces()
        let made = namespaces.namespaceNames
        try #require(
            namespaces.available.contains(.bridge) && namespaces.available.contains(.routed),
            "namespaces: \(namespaces.unavailable)")
        let kept = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-kept-\(getpid())")
        defer { try? FileManager.default.removeItem(at: kept) }
        let check = ReplayCheck(
            quick: true, cores: ProcessInfo.processInfo.activeProcessorCount, keepingCapturesIn: kept)
        let record = try check.run(profile: .linuxDefault, namespaces: namespaces)
        namespaces.tearDown()
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []).filter(made.contains)
        #expect(left.isEmpty, "left behind: \(left)")

        // VXLAN where the host can make VXLAN devices, the other three always.
        let vxlan = namespaces.available.contains(.vxlan)
        if !vxlan { print("ReplayCheckTests: no VXLAN placement: \(namespaces.unavailable)") }
        let placements = record.placements.count
        #expect(placements == (vxlan ? 4 : 3), "\(record.placements)")
        #expect(record.captures.count == check.workloads.count * placements)
        for capture in record.captures {
            let workload = check.workloads[capture.workload]
            let label = "\(workload.name) in \(record.placements[capture.placement])"
            #expect(capture.replayed.count == placements, "\(label)")
            #expect(capture.droppedPackets == 0, "\(label)")
            // Every exchange was captured: a gap between each request and its reply, and each
            // reply and the next request.
            #expect(
                capture.gaps >= workload.runs * (2 * workload.exchanges - 2), "\(label): \(capture.gaps) gaps")
            // The server's work is in the application's own times, and the captured gaps carry it
            // into the replay through the placement captured (the model's costs of that path are
            // taken out and put back). Through another placement the difference between the
            // model's path costs and the host's moves it (a replay from two nodes into one pod
            // fell to 85 µs for 100 µs of work on a loaded CI machine, when the check's topology
            // still charged linux-default's netfilter and interrupt delays), so only the order of
            // the placements is asserted there.
            #expect(capture.measured.p50 >= workload.serverWorkMicroseconds, "\(label)")
            let identity = capture.replayed[capture.placement]
            #expect(identity.p50 >= workload.serverWorkMicroseconds, "\(label): \(identity)")
            for replayed in capture.replayed {
                #expect(replayed.p50 > 0 && replayed.p99 >= replayed.p50, "\(label): \(replayed)")
            }
            // The model's paths: loopback costs less than a bridge, a bridge less than two nodes,
            // routed less than over VXLAN (encapsulation on each side). A p50 is read from a
            // histogram bucket (0.8% wide): two placements whose model differs by less than a
            // bucket (loopback and bridge, 2 µs apart, at 270 µs on a loaded CI machine) can read
            // the same, so neighbours are compared as not above, the ends strictly.
            let p50s = capture.replayed.map(\.p50)
            #expect(zip(p50s, p50s.dropFirst()).allSatisfy { $0 <= $1 }, "\(label): \(p50s)")
            #expect(p50s[0] < p50s[p50s.count - 1], "\(label): \(p50s)")
        }
        #expect(record.offDiagonal.count == record.captures.count * (placements - 1))

        // The captures kept: each with its map, the topology and a README of the commands, and a
        // kept capture replays with them as one conversation of the reference application.
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: kept.path))
        let runs = check.workloads.count * placements * 2
        #expect(files.filter { $0.hasSuffix(".pcap") }.count == runs, "\(files.sorted())")
        #expect(files.filter { $0.hasSuffix(".map.json") }.count == runs, "\(files.sorted())")
        #expect(files.contains("topology.json") && files.contains("README.txt"), "\(files.sorted())")
        let readme = try String(contentsOf: kept.appendingPathComponent("README.txt"), encoding: .utf8)
        #expect(readme.components(separatedBy: "netlab replay ").count - 1 == runs, "\(readme)")
        let topology = try TopologyReader.read(
            try String(contentsOf: kept.appendingPathComponent("topology.json"), encoding: .utf8),
            file: "topology.json", requireFlows: false)
        let map = try ReplayMap.read(
            try String(contentsOf: kept.appendingPathComponent("w1-two-pods-run1.map.json"), encoding: .utf8),
            file: "w1-two-pods-run1.map.json")
        let plan = try ReplayPlan.prepare(
            trace: kept.appendingPathComponent("w1-two-pods-run1.pcap").path, map: map, topology: topology,
            unmapped: .error)
        #expect(plan.topology.flows.count == 1)
    }
}
