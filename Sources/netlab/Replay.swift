import ArgumentParser
import Foundation
import NetLabCore
import NetLabModel
import NetLabReplay
import NetLabReport
import NetLabTrace

/// `netlab replay`: captured traffic through the groupings of a topology.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a capture's traffic through each grouping of a topology and compare.",
        discussion: """
            The map file says which captured address (or address:port, or CIDR) is which container; \
            the topology supplies the cluster, the containers and the groupings (its flows, if any, \
            are ignored: the capture is the traffic). Each captured message (consecutive \
            same-direction TCP payload, or a UDP datagram) is sent between the mapped containers in \
            every grouping. Open mode (the default) sends each at its captured time, scaled by \
            --speed, and measures its delivery; causal mode keeps each conversation's exchanges in \
            order, sending a message once the one before it is delivered plus the gap the capture \
            shows (server processing, client think time), and measures request-to-response times. \
            Beside them stands the capture's own request-to-response time where it shows one.

            Start with a map written from the trace:
              netlab replay --suggest-map Traces/pod-to-pod-http.pcap > map.json

            Examples:
              netlab replay Traces/pod-to-pod-http.pcap --map Traces/pod-to-pod-http.map.json --topology Examples/replay-pairs.json
              netlab replay trace.pcapng --map map.json --topology cluster.json --grouping one-pod --speed 10 --format json
            """
    )

    @Argument(help: "The capture (.pcap or .pcapng).")
    var trace: String

    @Option(help: "Map file: which address is which container.")
    var map: String?

    @Option(help: "Topology file: cluster, containers and groupings.")
    var topology: String?

    @Flag(help: "Print a starter map for the trace and stop.")
    var suggestMap = false

    @Option(name: .customLong("grouping"), help: "Replay only through this grouping (repeat for several). Default: all.")
    var groupings: [String] = []

    @Option(help: ArgumentHelp("open: every message at its captured time; causal: each after the previous is delivered, plus the captured gap.",
                               valueName: "open|causal"))
    var mode: ReplayMode = .open

    @Option(help: "Time scale: 2 replays twice as fast as captured.")
    var speed: Double = 1

    @Option(help: "Endpoints the map does not cover: error (the default) or ignore.")
    var unmapped: UnmappedPolicy = .error

    @Option(help: "Cost profile: linux-default, ideal, or a profile file (default: the topology's).")
    var profile: String?

    @Option(parsing: .unconditional, help: "Seed of the model's own random draws.")
    var seed: UInt64?

    @Option(help: "Write one pcap per grouping into this folder: each delivered message as a frame at its simulated delivery time.")
    var pcapOut: String?

    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard speed > 0, speed.isFinite, speed <= 1e6 else {
            throw InputError(source: "--speed", location: nil, problem: "\(speed) is out of range", fix: "give a factor above 0 and at most 1e6, e.g. 1 or 10")
        }
        if let pcapOut {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: pcapOut, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw InputError(source: "--pcap-out", location: nil, problem: "\(pcapOut) is not a folder", fix: "create it first (mkdir -p \(pcapOut))")
            }
        }
        if !suggestMap, map == nil || topology == nil {
            throw InputError(source: "replay", location: nil, problem: "--map and --topology are required",
                             fix: "give both, or use --suggest-map TRACE to start a map")
        }
    }

    func run() throws {
        if suggestMap {
            let summary: TraceSummary
            do { summary = try TraceInspector.inspect(path: trace) } catch {
                throw InputError(source: error.location, location: nil, problem: error.problem, fix: error.fix)
            }
            try writeOutput(MapSuggestion.suggest(for: summary), to: report.file)
            return
        }
        let mapPath = map!, topologyPath = topology!
        let replayMap: ReplayMap
        do { replayMap = try ReplayMap.read(try readInput(mapPath), file: mapPath) } catch let error as SpecError {
            throw InputError(specError: error)
        }
        var spec: Topology
        do { spec = try TopologyReader.read(try readInput(topologyPath), file: topologyPath, requireFlows: false) } catch let error as SpecError {
            throw InputError(specError: error)
        }
        let chosen = try Simulate.resolveProfile(profile, for: spec, topologyPath: topologyPath)
        let indices = try Simulate.groupingIndices(groupings, in: spec, topologyPath: topologyPath)
        spec.seed = seed ?? spec.seed
        let result: ReplayResult
        switch replay(map: replayMap, topology: spec, groupings: indices, profile: chosen) {
        case .success(let value): result = value
        case .failure(let error): throw InputError(source: error.location, location: nil, problem: error.problem, fix: error.fix)
        }
        let files = [(mapPath, (try? readInput(mapPath)) ?? ""), (topologyPath, (try? readInput(topologyPath)) ?? "")]
        try report.emit(
            table: { ReplayReport.table(result, trace: trace) },
            json: { ReplayReport.json(result, trace: trace).rendered() },
            csv: { ReplayReport.csv(result) },
            html: { ReplayReport.html(result, trace: trace, inputs: ReportInputs(command: commandLineText, netlabVersion: Netlab.version, files: files)) })
    }
}

extension Replay {
    func replay(map: ReplayMap, topology: Topology, groupings: [Int], profile: CostProfile) -> Result<ReplayResult, ReplayError> {
        Result { () throws(ReplayError) -> ReplayResult in
            let plan = try ReplayPlan.prepare(trace: trace, map: map, topology: topology, unmapped: unmapped)
            let progress = ProgressLine(label: "replay \(trace)")
            defer { progress.finish() }
            return try ReplayRunner.run(plan, groupings: groupings, profile: profile, seed: topology.seed, speed: speed, mode: mode,
                                        pcapDirectory: pcapOut) { finished, total in progress.update("\(finished)/\(total) groupings done") }
        }
    }
}

extension UnmappedPolicy: ExpressibleByArgument {}
extension ReplayMode: ExpressibleByArgument {}
