import Foundation
import NetLabModel
import NetLabReplay
import NetLabStats

/// `netlab calibrate --replay`: how far a replay on this host can be trusted with a profile.
/// The reference application runs in each placement (one pod over loopback, two pods on a
/// bridge, two routed nodes), captured with tcpdump where a user would capture (inside the
/// client's pod); each capture is replayed, in causal mode and corrected for the capture point,
/// through every placement, and compared with what the application measured there.
public struct ReplayCheck {
    /// The placements, in the order of the record's `replayed` lists.
    public static let placements = ["one pod (loopback)", "two pods, one node (bridge)", "two nodes (routed)"]
    static let groupingNames = ["one-pod", "two-pods", "two-nodes"]

    public var quick: Bool
    public var cores: Int

    public init(quick: Bool, cores: Int) {
        self.quick = quick
        self.cores = cores
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The exchanges the reference application makes: a small request with a larger reply and no
    /// server work, and small messages with 100 µs of server work; think times of mean 1 ms.
    public var workloads: [ReplayCheckRecord.Workload] {
        let exchanges = quick ? 600 : 2_000
        return [
            .init(
                name: "200 B → 4 KiB", requestBytes: 200, replyBytes: 4_096, serverWorkMicroseconds: 0,
                thinkMeanMicroseconds: 1_000, exchanges: exchanges),
            .init(
                name: "64 B → 64 B, 100 µs work", requestBytes: 64, replyBytes: 64, serverWorkMicroseconds: 100,
                thinkMeanMicroseconds: 1_000, exchanges: exchanges),
        ]
    }

    /// Where one placement's client and server run and where it is captured.
    struct Site {
        var clientNamespace: String
        var serverNamespace: String
        var serverAddress: String
        var clientAddress: String
        var captureInterface: String
        var point: CapturePoint
    }

    func site(_ placement: Int, in namespaces: CalibrationNamespaces) -> Site {
        let prefix = namespaces.prefix
        switch placement {
        case 0:
            return Site(
                clientNamespace: "\(prefix)-pa", serverNamespace: "\(prefix)-pa", serverAddress: "127.0.0.1",
                clientAddress: "127.0.0.1", captureInterface: "lo", point: .any)
        case 1:
            return Site(
                clientNamespace: "\(prefix)-pa", serverNamespace: "\(prefix)-pb", serverAddress: "198.18.0.2",
                clientAddress: "198.18.0.1", captureInterface: "eth0", point: .client)
        default:
            return Site(
                clientNamespace: "\(prefix)-ra", serverNamespace: "\(prefix)-rb", serverAddress: "198.18.4.2",
                clientAddress: "198.18.3.2", captureInterface: "eth0", point: .client)
        }
    }

    /// Runs, captures and replays every workload in every placement this host could set up;
    /// `progress` hears each step as it starts.
    /// - Throws: ``Failure`` when the namespaces are missing, tcpdump cannot capture, or a run fails.
    public func run(
        profile: CostProfile, namespaces: CalibrationNamespaces, progress: (String) -> Void = { _ in }
    ) throws(Failure) -> ReplayCheckRecord {
        guard namespaces.available.contains(.bridge), namespaces.available.contains(.routed) else {
            let why = namespaces.unavailable.first { $0.0 == .bridge || $0.0 == .routed }?.1 ?? "not set up"
            throw Failure(description: "the replay check needs the bridge and routed namespaces: \(why)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-replay-check-\(getpid())")
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw Failure(description: "could not create \(directory.path): \(error)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        var captures: [ReplayCheckRecord.Capture] = []
        for (workloadIndex, workload) in workloads.enumerated() {
            for placement in Self.placements.indices {
                progress("\(workload.name) in \(Self.placements[placement])")
                let site = site(placement, in: namespaces)
                let port = 7_300 + workloadIndex
                let path = directory.appendingPathComponent("w\(workloadIndex)-p\(placement).pcap").path
                let (samples, dropped) = try capture(
                    workload, seed: UInt64(workloadIndex + 1), at: site, port: port, path: path)
                captures.append(
                    try replay(
                        path, workload: workloadIndex, placement: placement, site: site, port: port,
                        measured: Self.times(samples), dropped: dropped, profile: profile))
            }
        }
        return ReplayCheckRecord(
            profile: profile.name, placements: Self.placements, workloads: workloads, captures: captures)
    }

    /// Runs `workload` at `site` under tcpdump; the client's times and the packets tcpdump lost.
    func capture(_ workload: ReplayCheckRecord.Workload, seed: UInt64, at site: Site, port: Int, path: String)
        throws(Failure) -> (samples: [Double], dropped: Int)
    {
        let capture: PacketCapture
        do {
            capture = try PacketCapture(
                namespace: site.clientNamespace, interface: site.captureInterface, filter: "tcp port \(port)",
                path: path)
        } catch { throw Failure(description: error.description) }
        let application = ReferenceExchange(
            workload: workload, port: port, seed: seed, cores: cores >= 2 ? (0, 1) : (0, 0))
        let samples: [Double]
        do {
            samples = try application.run(
                clientNamespace: "/run/netns/\(site.clientNamespace)",
                serverNamespace: "/run/netns/\(site.serverNamespace)", serverAddress: site.serverAddress)
        } catch { throw Failure(description: "reference application: \(error.description)") }
        do { return (samples, try capture.stop()) } catch { throw Failure(description: error.description) }
    }

    /// Replays the capture at `path` through every placement.
    func replay(
        _ path: String, workload: Int, placement: Int, site: Site, port: Int, measured: ReplayCheckRecord.Times,
        dropped: Int, profile: CostProfile
    ) throws(Failure) -> ReplayCheckRecord.Capture {
        do {
            let topology = try TopologyReader.read(topologyText, file: "replay-check.json", requireFlows: false)
            let server = site.serverAddress == site.clientAddress ? "\(site.serverAddress):\(port)" : site.serverAddress
            let mapText = """
                { "endpoints": [ { "match": "\(server)", "container": "server" },
                                 { "match": "\(site.clientAddress)", "container": "client" } ] }
                """
            let map = try ReplayMap.read(mapText, file: "replay-check.map.json")
            let plan = try ReplayPlan.prepare(trace: path, map: map, topology: topology, unmapped: .error)
            guard plan.topology.flows.count == 1 else {
                throw Failure(
                    description:
                        "the capture of \(Self.placements[placement]) holds \(plan.topology.flows.count) conversations, not one"
                )
            }
            let origin = CaptureOrigin(grouping: placement, point: site.point)
            try plan.checkCapturePoint(origin, profile: profile)
            let result = try ReplayRunner.run(
                plan, groupings: Array(Self.placements.indices), profile: profile, seed: 1, speed: 1, mode: .causal,
                origin: origin)
            let replayed = result.simulatedExchanges.map { flows in
                ReplayCheckRecord.Times(
                    p50: Double(flows[0].valueAtPercentile(50)) / 1_000,
                    p99: Double(flows[0].valueAtPercentile(99)) / 1_000)
            }
            return ReplayCheckRecord.Capture(
                workload: workload, placement: placement, measured: measured, replayed: replayed,
                negativeGaps: result.negativeGaps.first ?? 0,
                gaps: Int(result.applicationGaps.first?.first?.count ?? 0), droppedPackets: dropped)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "replaying the capture of \(Self.placements[placement]): \(error)")
        }
    }

    /// The placements as groupings of one topology: the host as two nodes of its cores, joined
    /// as calibration's own cross-node cases are (no wire delay, a link far faster than the host).
    var topologyText: String {
        let cpusets = cores >= 2 ? ("[0]", "[1]") : ("[0]", "[0]")
        let node = #""cores": \#(max(cores, 2)), "nic": { "rate": "1Tbps", "buffer": "64MiB" }"#
        return """
            { "name": "replay-check", "duration": "1s",
              "cluster": { "nodes": [ { "name": "a", \(node) }, { "name": "b", \(node) } ],
                           "fabric": { "rate": "1Tbps", "latency": "0ns", "buffer": "64MiB" } },
              "containers": [ { "name": "client", "cpuset": \(cpusets.0) }, { "name": "server", "cpuset": \(cpusets.1) } ],
              "groupings": [
                { "name": "\(Self.groupingNames[0])", "pods": [ { "containers": ["client", "server"], "node": "a" } ] },
                { "name": "\(Self.groupingNames[1])", "pods": [ { "containers": ["client"], "node": "a" }, { "containers": ["server"], "node": "a" } ] },
                { "name": "\(Self.groupingNames[2])", "pods": [ { "containers": ["client"], "node": "a" }, { "containers": ["server"], "node": "b" } ] } ] }
            """
    }

    /// p50 and p99 of the client's times, and the p50's 95% interval from order statistics.
    static func times(_ samples: [Double]) -> ReplayCheckRecord.Times {
        let sorted = samples.sorted()
        let count = sorted.count
        guard count > 0 else { return .init(p50: .nan, p99: .nan) }
        let spread = 1.96 * Double(count).squareRoot() / 2
        let low = max(0, Int(saturating: (Double(count) / 2 - spread).rounded(.down)))
        let high = min(count - 1, Int(saturating: (Double(count) / 2 + spread).rounded(.up)))
        return .init(
            p50: sorted[count / 2], p99: sorted[min(count - 1, count * 99 / 100)],
            p50HalfInterval: (sorted[high] - sorted[low]) / 2)
    }
}
