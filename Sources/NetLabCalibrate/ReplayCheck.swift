import Foundation
import NetLabModel
import NetLabReplay
import NetLabStats

/// `netlab calibrate --replay`: how far a replay on this host can be trusted with a profile.
/// The reference application runs in each placement (one pod over loopback, two pods on a
/// bridge, two nodes routed and over VXLAN), captured with tcpdump where a user would capture
/// (inside the client's pod); each capture is replayed, in causal mode and corrected for the
/// capture point, through every placement, and compared with what the application measured there.
public struct ReplayCheck {
    /// Where the reference application runs: a name for people, the check topology's grouping
    /// and the namespaces it needs.
    struct Placement {
        var name: String
        var grouping: String
        var path: CalibrationCase.Path
    }

    /// Every placement, in the order of the record's `replayed` lists; a host that cannot make
    /// VXLAN devices checks the first three.
    static let allPlacements = [
        Placement(name: "one pod (loopback)", grouping: "one-pod", path: .inPod),
        Placement(name: "two pods, one node (bridge)", grouping: "two-pods", path: .bridge),
        Placement(name: "two nodes (routed)", grouping: "two-nodes", path: .routed),
        Placement(name: "two nodes (VXLAN)", grouping: "two-nodes-vxlan", path: .vxlan),
    ]

    public var quick: Bool
    public var cores: Int
    /// Where to keep the check's captures for the user, each with the map and the topology that
    /// replay it (`netlab replay`), or nil to delete them with the check.
    public var keptCaptures: URL?

    public init(quick: Bool, cores: Int, keepingCapturesIn keptCaptures: URL? = nil) {
        self.quick = quick
        self.cores = cores
        self.keptCaptures = keptCaptures
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The exchanges the reference application makes: a small request with a larger reply and no
    /// server work, and small messages with 100 µs of server work; think times of mean 1 ms.
    /// `exchanges` is per run; each placement runs twice.
    public var workloads: [ReplayCheckRecord.Workload] {
        let exchanges = quick ? 300 : 1_000
        return [
            .init(
                name: "200 B → 4 KiB", requestBytes: 200, replyBytes: 4_096, serverWorkMicroseconds: 0,
                thinkMeanMicroseconds: 1_000, exchanges: exchanges, runs: 2),
            .init(
                name: "64 B, 100 µs work", requestBytes: 64, replyBytes: 64, serverWorkMicroseconds: 100,
                thinkMeanMicroseconds: 1_000, exchanges: exchanges, runs: 2),
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

    func site(_ placement: Placement, in namespaces: CalibrationNamespaces) -> Site {
        let prefix = namespaces.prefix
        switch placement.path {
        case .inPod:
            return Site(
                clientNamespace: "\(prefix)-pa", serverNamespace: "\(prefix)-pa", serverAddress: "127.0.0.1",
                clientAddress: "127.0.0.1", captureInterface: "lo", point: .any)
        case .bridge:
            return Site(
                clientNamespace: "\(prefix)-pa", serverNamespace: "\(prefix)-pb", serverAddress: "198.18.0.2",
                clientAddress: "198.18.0.1", captureInterface: "eth0", point: .client)
        case .routed:
            return Site(
                clientNamespace: "\(prefix)-ra", serverNamespace: "\(prefix)-rb", serverAddress: "198.18.4.2",
                clientAddress: "198.18.3.2", captureInterface: "eth0", point: .client)
        case .vxlan:
            return Site(
                clientNamespace: "\(prefix)-xa", serverNamespace: "\(prefix)-xb", serverAddress: "198.18.6.2",
                clientAddress: "198.18.5.2", captureInterface: "eth0", point: .client)
        }
    }

    /// Stops the captures still running and deletes the check's files: for an interrupted check,
    /// before its namespaces go.
    public static func abandon() {
        PacketCapture.stopAll()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Where the captures are written while the check runs.
    static var directory: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("netlab-replay-check-\(getpid())")
    }

    /// Runs, captures and replays every workload in every placement this host could set up (all
    /// but VXLAN are needed); `progress` hears each step as it starts.
    /// - Throws: ``Failure`` when the namespaces are missing, tcpdump cannot capture, or a run fails.
    public func run(
        profile: CostProfile, namespaces: CalibrationNamespaces, progress: (String) -> Void = { _ in }
    ) throws(Failure) -> ReplayCheckRecord {
        guard namespaces.available.contains(.bridge), namespaces.available.contains(.routed) else {
            let why = namespaces.unavailable.first { $0.0 == .bridge || $0.0 == .routed }?.1 ?? "not set up"
            throw Failure(description: "the replay check needs the bridge and routed namespaces: \(why)")
        }
        let placements = Self.allPlacements.filter { namespaces.available.contains($0.path) }
        let directory = Self.directory
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw Failure(description: "could not create \(directory.path): \(error)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let topology: Topology
        do {
            topology = try TopologyReader.read(
                topologyText(placements), file: "replay-check.json", requireFlows: false)
        } catch {
            throw Failure(description: "the check's own topology: \(error)")
        }
        var keeper = try keptCaptures.map { (directory) throws(Failure) in
            try CaptureKeeper(directory: directory, topologyText: topologyText(placements))
        }
        var captures: [ReplayCheckRecord.Capture] = []
        for (workloadIndex, workload) in workloads.enumerated() {
            var samples = [[Double]](repeating: [], count: placements.count)
            var medians = [[Double]](repeating: [], count: placements.count)
            var replays = [Replayed](repeating: Replayed(placements: placements.count), count: placements.count)
            // Two runs per placement, in mirrored order (first to last, then last to first), so
            // that a host drifting over the check weighs on every placement alike.
            let order = Array(placements.indices) + placements.indices.reversed()
            for (run, placement) in order.enumerated() {
                progress("\(workload.name) in \(placements[placement].name) (run \(run + 1) of \(order.count))")
                let site = site(placements[placement], in: namespaces)
                let port = 7_300 + 10 * workloadIndex + run
                let path = directory.appendingPathComponent("w\(workloadIndex)-r\(run).pcap").path
                let (times, dropped) = try capture(
                    workload, seed: UInt64(10 * workloadIndex + run + 1), at: site, port: port, path: path)
                samples[placement] += times
                medians[placement].append(Self.times(times).p50)
                replays[placement].droppedPackets += dropped
                try replay(
                    path, placements: placements, from: placement, site: site, port: port, topology: topology,
                    profile: profile, into: &replays[placement])
                try keeper?.keep(
                    path, workload: workloadIndex, named: workload.name, placement: placements[placement],
                    run: run / placements.count + 1, map: mapText(site, port: port), point: site.point)
            }
            for placement in placements.indices {
                var measured = Self.times(samples[placement])
                // The runs' own difference widens the interval: a host's state between runs varies
                // more than the samples within one run suggest.
                let between = (medians[placement].max()! - medians[placement].min()!) / 2
                measured.p50HalfInterval = (measured.p50HalfInterval * measured.p50HalfInterval + between * between)
                    .squareRoot()
                let replayed = replays[placement]
                captures.append(
                    ReplayCheckRecord.Capture(
                        workload: workloadIndex, placement: placement, measured: measured,
                        replayed: replayed.exchanges.map {
                            ReplayCheckRecord.Times(
                                p50: Double($0.valueAtPercentile(50)) / 1_000,
                                p99: Double($0.valueAtPercentile(99)) / 1_000)
                        }, negativeGaps: replayed.negativeGaps, gaps: replayed.gaps,
                        droppedPackets: replayed.droppedPackets))
            }
        }
        try keeper?.finish(profile: profile.name)
        return ReplayCheckRecord(
            profile: profile.name, placements: placements.map(\.name), workloads: workloads, captures: captures)
    }

    /// What a placement's captures gave, replayed: per placement replayed through, every exchange.
    struct Replayed {
        var exchanges: [LatencyHistogram]
        var negativeGaps = 0
        var gaps = 0
        var droppedPackets = 0

        init(placements: Int) { exchanges = Array(repeating: LatencyHistogram(), count: placements) }
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

    /// Replays the capture at `path`, made in `placements[placement]`, through every placement
    /// (the groupings of `topology`), adding to `replayed`.
    func replay(
        _ path: String, placements: [Placement], from placement: Int, site: Site, port: Int, topology: Topology,
        profile: CostProfile, into replayed: inout Replayed
    ) throws(Failure) {
        do {
            let map = try ReplayMap.read(mapText(site, port: port), file: "replay-check.map.json")
            let plan = try ReplayPlan.prepare(trace: path, map: map, topology: topology, unmapped: .error)
            guard plan.topology.flows.count == 1 else {
                throw Failure(
                    description:
                        "the capture of \(placements[placement].name) holds \(plan.topology.flows.count) conversations, not one"
                )
            }
            let origin = CaptureOrigin(grouping: placement, point: site.point)
            try plan.checkCapturePoint(origin, profile: profile)
            let result = try ReplayRunner.run(
                plan, groupings: Array(placements.indices), profile: profile, seed: 1, speed: 1, mode: .causal,
                origin: origin)
            for (target, flows) in result.simulatedExchanges.enumerated() { replayed.exchanges[target].merge(flows[0]) }
            replayed.negativeGaps += result.negativeGaps.first ?? 0
            replayed.gaps += Int(result.applicationGaps.first?.first?.count ?? 0)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "replaying the capture of \(placements[placement].name): \(error)")
        }
    }

    /// The map of a capture made at `site` with the server on `port`: which address is the client
    /// and which the server (with the port where both share one address, over loopback).
    func mapText(_ site: Site, port: Int) -> String {
        let server = site.serverAddress == site.clientAddress ? "\(site.serverAddress):\(port)" : site.serverAddress
        return """
            { "endpoints": [ { "match": "\(server)", "container": "server" },
                             { "match": "\(site.clientAddress)", "container": "client" } ] }
            """
    }

    /// The placements as groupings of one topology: the host as nodes sharing its cores, joined as
    /// calibration's own cross-node cases are (no wire delay, a link far faster than the host).
    /// Nodes a and b share a zone and c is in another, under a VXLAN overlay between zones: a to b
    /// is the routed pair, a to c the VXLAN one, as the namespaces join them.
    /// The check's namespaces have what its nodes say: no iptables rules on their bridge and
    /// veth pairs without interrupt coalescing, so a profile's netfilter and NIC interrupt costs
    /// (linux-default's 12 µs a packet and 10 µs) are not charged to paths that have neither.
    func topologyText(_ placements: [Placement]) -> String {
        let cpusets = cores >= 2 ? ("[0]", "[1]") : ("[0]", "[0]")
        let node =
            #""cores": \#(max(cores, 2)), "host": "host", "netfilter": false, "nic": { "rate": "1Tbps", "buffer": "64MiB", "interrupt_delay": "0ns" }"#
        func pods(_ placement: Placement) -> String {
            switch placement.path {
            case .inPod: #"{ "containers": ["client", "server"], "node": "a" }"#
            case .bridge: #"{ "containers": ["client"], "node": "a" }, { "containers": ["server"], "node": "a" }"#
            case .routed: #"{ "containers": ["client"], "node": "a" }, { "containers": ["server"], "node": "b" }"#
            case .vxlan: #"{ "containers": ["client"], "node": "a" }, { "containers": ["server"], "node": "c" }"#
            }
        }
        let groupings = placements.map { #"{ "name": "\#($0.grouping)", "pods": [ \#(pods($0)) ] }"# }
        return """
            { "name": "replay-check", "duration": "1s",
              "cluster": { "nodes": [ { "name": "a", "zone": "one", \(node) }, { "name": "b", "zone": "one", \(node) },
                                      { "name": "c", "zone": "two", \(node) } ],
                           "fabric": { "rate": "1Tbps", "latency": "0ns", "buffer": "64MiB", "zone_latency": "0ns" },
                           "overlay": { "kind": "vxlan", "between": "zones" } },
              "containers": [ { "name": "client", "cpuset": \(cpusets.0) }, { "name": "server", "cpuset": \(cpusets.1) } ],
              "groupings": [ \(groupings.joined(separator: ",\n    ")) ] }
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
