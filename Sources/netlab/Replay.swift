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
            shows (server processing, client think time). Both modes measure request-to-reply \
            times (client sends, client has the whole reply) beside the capture's own, and open \
            mode also each message's one-way delivery.

            A captured gap between two messages holds, besides the application's own time, the \
            host work on the captured path: the receiving stack, wake-up and receive call after \
            the capture point, the send call and sending stack before it. Say where the capture \
            was made with --captured-in GROUPING (the grouping matching its placement) and \
            --capture-point, and netlab removes what the model charges for that path from every \
            gap, so that only the application's time is replayed; the first table block then \
            checks the replay against the capture on that grouping. Capture points: any \
            (default; tcpdump -i any on the client's node, or the loopback device inside a pod), \
            client or server (inside that pod's namespace; also sender, receiver), node (on the \
            client's node: the bridge, or its NIC across nodes; also bridge).

            A capture taken on several interfaces of a node (dumpcap -i cni0 -i vethX, tcpdump -i \
            any) holds each pod-to-pod packet once per interface it crossed: netlab recognises the \
            copies and sends each message once. --interface replays one capture point only (a \
            pcapng interface's name or number, or a tcpdump -i any capture's interface index).

            Start with a map written from the trace:
              netlab replay --suggest-map Traces/pod-to-pod-http.pcap > map.json

            Examples:
              netlab replay Traces/pod-to-pod-http.pcap --map Traces/pod-to-pod-http.map.json --topology Examples/replay-pairs.json
              netlab replay trace.pcapng --map map.json --topology cluster.json --grouping one-pod --speed 10 --format json
              netlab replay Traces/pod-to-pod-http.pcap --map Traces/pod-to-pod-http.map.json --topology Examples/replay-pairs.json \
                --mode causal --captured-in same-node --capture-point node
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

    @Option(
        name: .customLong("grouping"), help: "Replay only through this grouping (repeat for several). Default: all.")
    var groupings: [String] = []

    @Option(
        help: ArgumentHelp(
            "open: every message at its captured time; causal: each after the previous is delivered, plus the captured gap.",
            valueName: "open|causal"))
    var mode: ReplayMode = .open

    @Option(
        help: ArgumentHelp(
            "The grouping whose placement the capture was made in: corrects captured gaps for that path's host costs and checks the replay against the capture there.",
            valueName: "grouping"))
    var capturedIn: String?

    @Option(
        help: ArgumentHelp(
            "Where the capture was taken: any (default), client, server or node (see above).", valueName: "point"))
    var capturePoint: String?

    @Option(help: "Time scale: 2 replays twice as fast as captured.")
    var speed: Double = 1

    @Option(help: "Endpoints the map does not cover: error (the default) or ignore.")
    var unmapped: UnmappedPolicy = .error

    @Option(
        help:
            "Write one pcap per grouping into this folder: each delivered message as a frame at its simulated delivery time."
    )
    var pcapOut: String?

    @Option(
        help: ArgumentHelp(
            "Replay only the packets this interface captured (pcapng: name or number; tcpdump -i any: index).",
            valueName: "name"))
    var interface: String?

    @Flag(
        help: ArgumentHelp(
            "Add each conversation class's latency by stage to the table (send, wake-ups, stack, veth and bridge, queues, ...), on average and at the tail.",
            discussion: "JSON, CSV and HTML always carry the breakdown (docs/output.md)."))
    var breakdown = false

    @OptionGroup var model: ModelOptions

    @OptionGroup var report: ReportOptions<ReplayFormat>

    /// The options' combinations, checked before anything runs. Called from `run()`, not as
    /// ArgumentParser's `validate()`, which would wrap the error and lose its one-line form.
    func checkOptions() throws {
        if !suggestMap { try report.checkFormat() }
        guard speed > 0, speed.isFinite, speed <= 1e6 else {
            throw InputError(
                source: "--speed", location: nil, problem: "\(speed) is out of range",
                fix: "give a factor above 0 and at most 1e6, e.g. 1 or 10")
        }
        if let pcapOut {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: pcapOut, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw InputError(
                    source: "--pcap-out", location: nil, problem: "\(pcapOut) is not a folder",
                    fix: "create it first (mkdir -p \(pcapOut))")
            }
            Self.removePartialCapturesOnSignal()
        }
        if !suggestMap, map == nil || topology == nil {
            throw InputError(
                source: "replay", location: nil, problem: "--map and --topology are required",
                fix: "give both, or use --suggest-map TRACE to start a map")
        }
    }

    func run() throws {
        try checkOptions()
        if suggestMap {
            let summary = try TraceInspector.inspect(path: trace, interface: interface)
            try writeOutput(MapSuggestion.suggest(for: summary), to: report.file)
            return
        }
        let mapPath = map!, topologyPath = topology!
        let replayMap: ReplayMap
        replayMap = try ReplayMap.read(try readInput(mapPath), file: mapPath)
        var spec = try TopologyReader.read(try readInput(topologyPath), file: topologyPath, requireFlows: false)
        let chosen = try model.resolvedProfile(for: spec, topologyPath: topologyPath)
        var indices = try groupingIndices(groupings, in: spec, topologyPath: topologyPath)
        spec.seed = model.seed ?? spec.seed
        let origin = try CaptureOrigin.named(
            grouping: capturedIn, point: capturePoint, in: spec, topologyFile: topologyPath)
        if let origin {
            // The check against the capture comes first.
            indices.removeAll { $0 == origin.grouping }
            indices.insert(origin.grouping, at: 0)
        }
        var result: ReplayResult
        switch replay(map: replayMap, topology: spec, groupings: indices, profile: chosen, origin: origin) {
        case .success(let value): result = value
        case .failure(let error):
            throw InputError(error)
        }
        if let file = model.profile, ProfileReader.builtIn(file) == nil, let text = try? readInput(file) {
            result.profileReplayCheck = ProfileReader.replayCheckSummary(text)
        }
        let files = [(mapPath, (try? readInput(mapPath)) ?? ""), (topologyPath, (try? readInput(topologyPath)) ?? "")]
        try report.emit(
            table: {
                ReplayReport.table(result, trace: trace)
                    + (breakdown ? "\n" + BreakdownReport.table(result.simulation) : "")
            },
            json: { ReplayReport.json(result, trace: trace) },
            csv: { ReplayReport.csv(result) },
            html: {
                ReplayReport.html(
                    result, trace: trace,
                    inputs: ReportInputs(command: commandLineText, netlabVersion: Netlab.version, files: files))
            })
    }
}

extension Replay {
    func replay(map: ReplayMap, topology: Topology, groupings: [Int], profile: CostProfile, origin: CaptureOrigin?)
        -> Result<ReplayResult, ReplayError>
    {
        Result { () throws(ReplayError) -> ReplayResult in
            let plan = try ReplayPlan.prepare(
                trace: trace, interface: interface, map: map, topology: topology, unmapped: unmapped)
            if let origin { try plan.checkCapturePoint(origin, profile: profile) }
            let progress = ProgressLine(label: "replay \(trace)")
            defer { progress.finish() }
            return try ReplayRunner.run(
                plan, groupings: groupings, profile: profile, seed: topology.seed, speed: speed, mode: mode,
                origin: origin, pcapDirectory: pcapOut
            ) { finished, total in progress.update("\(finished)/\(total) groupings done") }
        }
    }
}

extension UnmappedPolicy: ExpressibleByArgument {}
extension ReplayMode: ExpressibleByArgument {}

extension Replay {
    /// On SIGINT, SIGTERM or SIGHUP, deletes the captures still being written (each is written
    /// beside its name and renamed when complete) and exits with 128 + the signal: an interrupted
    /// replay leaves no truncated pcap.
    static func removePartialCapturesOnSignal() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                TraceWriter.removeUnfinished()
                var standardError = StandardError()
                print("netlab: replay: interrupted; no capture of --pcap-out was left half written", to: &standardError)
                Glibc.exit(128 + number)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// The signal sources, kept alive for the run.
    nonisolated(unsafe) static var signalSources: [any DispatchSourceSignal] = []
}
