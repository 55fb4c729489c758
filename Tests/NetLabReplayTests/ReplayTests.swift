import Foundation
import NetLabCore
import NetLabModel
import NetLabTrace
import Testing

@testable import NetLabReplay

@Suite struct ReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static let traces = [
        "pod-to-pod-http", "pod-to-pod-sockperf", "intra-pod-loopback", "pod-to-pod-ipv6", "pod-to-pod-iperf",
    ]

    static func plan(_ trace: String, unmapped: UnmappedPolicy = .error, mapText: String? = nil) throws -> ReplayPlan {
        let map = try ReplayMap.read(
            mapText ?? String(contentsOfFile: path("Traces/\(trace).map.json"), encoding: .utf8), file: "map.json")
        let topology = try TopologyReader.read(
            String(contentsOfFile: path("Examples/replay-pairs.json"), encoding: .utf8),
            file: "replay-pairs.json", requireFlows: false)
        do {
            return try ReplayPlan.prepare(
                trace: path("Traces/\(trace).pcap"), map: map, topology: topology, unmapped: unmapped)
        }
    }

    /// A capture cut short in a packet fails the replay with the capture's own error kept as the
    /// cause: its kind, the packet number and the byte offset, as `netlab inspect` would give them.
    @Test func aDamagedCaptureFailsWithItsCause() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: Self.path("Traces/pod-to-pod-http.pcap")))
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-cut-\(getpid()).pcap")
        defer { try? FileManager.default.removeItem(at: cut) }
        try whole.prefix(whole.count - 10).write(to: cut)
        let map = try ReplayMap.read(
            String(contentsOfFile: Self.path("Traces/pod-to-pod-http.map.json"), encoding: .utf8), file: "map.json")
        let topology = try TopologyReader.read(
            String(contentsOfFile: Self.path("Examples/replay-pairs.json"), encoding: .utf8),
            file: "replay-pairs.json", requireFlows: false)
        let failure = #expect(throws: ReplayError.self) {
            try ReplayPlan.prepare(trace: cut.path, map: map, topology: topology, unmapped: .error)
        }
        let cause = try #require(failure?.cause as? TraceError)
        #expect(cause.kind == .damaged)
        #expect(cause.packet != nil && cause.byteOffset != nil)
        #expect(failure?.description == cause.description)
        #expect(failure?.rootCause.description == cause.description)
    }

    /// Every mapped conversation is replayed: the bytes and messages injected per flow equal the
    /// payload and message counts `netlab inspect` reports for the same conversations, and all of
    /// them are delivered.
    @Test(arguments: traces)
    func replayCarriesExactlyTheCapturedMessages(trace: String) throws {
        let plan = try Self.plan(trace)
        let result = try ReplayRunner.run(plan, groupings: [0, 1, 2], profile: .linuxDefault, seed: 1, speed: 1)
        for (index, flow) in plan.topology.flows.enumerated() {
            let conversations = plan.summary.conversations.enumerated().filter {
                plan.conversationFlow[$0.offset] == Int32(index)
            }.map(\.element)
            #expect(!conversations.isEmpty)
            let payload = conversations.reduce(0) { $0 + $1.payloadAToB + $1.payloadBToA }
            let messages = conversations.reduce(0) { $0 + $1.messagesAToB + $1.messagesBToA }
            for grouping in result.simulation.groupings {
                let replayed = grouping.flows[index]
                #expect(replayed.name == flow.name)
                #expect(replayed.offeredBytes == Int64(payload), "\(grouping.name)")
                // Messages over 1 MiB are injected in pieces (the iperf burst), so there can be more.
                if trace == "pod-to-pod-iperf" {
                    #expect(replayed.offeredMessages >= Int64(messages))
                } else {
                    #expect(replayed.offeredMessages == Int64(messages), "\(grouping.name)")
                }
                #expect(replayed.messages == replayed.offeredMessages, "every message delivered in \(grouping.name)")
                #expect(replayed.bytes == replayed.offeredBytes)
            }
        }
    }

    /// Under `ideal` inside one pod nothing costs time, so every message is delivered at the very
    /// instant it was captured being sent.
    @Test(arguments: traces)
    func idealIntraPodReplayReproducesCapturedTimesExactly(trace: String) throws {
        let plan = try Self.plan(trace)
        let result = try ReplayRunner.run(plan, groupings: [0], profile: .ideal, seed: 1, speed: 1)
        for flow in result.simulation.groupings[0].flows {
            #expect(flow.path == .loopback)
            #expect(flow.messages > 0)
            #expect(flow.latency.maximumPicoseconds == 0, "\(flow.name)")
        }
    }

    /// Chatty containers in one pod see lower latency than on different nodes.
    @Test(arguments: ["pod-to-pod-http", "pod-to-pod-sockperf", "intra-pod-loopback"])
    func onePodBeatsTwoNodesUnderTheDefaultProfile(trace: String) throws {
        let plan = try Self.plan(trace)
        let result = try ReplayRunner.run(plan, groupings: [0, 2], profile: .linuxDefault, seed: 1, speed: 1)
        let onePod = result.simulation.groupings[0].flows[0], twoNodes = result.simulation.groupings[1].flows[0]
        #expect(onePod.path == .loopback && twoNodes.path == .crossNode)
        #expect(onePod.latency.valueAtPercentile(50) < twoNodes.latency.valueAtPercentile(50))
        #expect(onePod.latency.meanNanoseconds < twoNodes.latency.meanNanoseconds)
        #expect(result.captured[0].count > 0, "the capture shows request/response times")
    }

    @Test func sameInputsGiveTheSameOutput() throws {
        let plan = try Self.plan("pod-to-pod-http")
        let first = try ReplayRunner.run(plan, groupings: [0, 1, 2], profile: .linuxDefault, seed: 1, speed: 1)
        let second = try ReplayRunner.run(plan, groupings: [0, 1, 2], profile: .linuxDefault, seed: 1, speed: 1)
        #expect(
            first.simulation.groupings.map { $0.flows[0].latency.sumPicoseconds }
                == second.simulation.groupings.map { $0.flows[0].latency.sumPicoseconds })
        #expect(first.simulation.groupings.map(\.events) == second.simulation.groupings.map(\.events))
    }

    @Test func unmappedEndpointsAreListedWithTheirPacketCounts() throws {
        let partial = #"{ "endpoints": [ { "match": "198.18.0.2", "container": "web" } ] }"#
        #expect {
            try Self.plan("pod-to-pod-http", mapText: partial)
        } throws: { error in
            let text = "\(error)"
            return text.contains("1 trace address(es) are not in the map: 198.18.0.3 (242 packets)")
                && text.contains("--unmapped ignore")
        }
        let everything =
            #"{ "endpoints": [ { "match": "198.18.0.0/24", "container": "web" }, { "match": "198.18.0.3", "container": "client" } ] }"#
        let plan = try Self.plan("pod-to-pod-http", mapText: everything)
        #expect(plan.topology.flows.map(\.name) == ["client->web/tcp"], "the /32 rule beats the /24 one")
    }

    @Test func ignoringUnmappedEndpointsSaysWhatWasLeftOut() throws {
        let partial = #"{ "endpoints": [ { "match": "198.18.0.2", "container": "web" } ] }"#
        #expect(throws: ReplayError.self) { try Self.plan("pod-to-pod-http", unmapped: .ignore, mapText: partial) }
        let withPort =
            #"{ "endpoints": [ { "match": "198.18.0.2:8080", "container": "web" }, { "match": "198.18.0.3", "container": "client" }, { "match": "10.0.0.0/8", "container": "api" } ] }"#
        let plan = try Self.plan("pod-to-pod-http", unmapped: .ignore, mapText: withPort)
        #expect(plan.topology.flows.count == 1)
    }

    @Test func mapNamingAContainerTheTopologyLacksIsRefused() throws {
        let map =
            #"{ "endpoints": [ { "match": "198.18.0.2", "container": "nginx" }, { "match": "198.18.0.3", "container": "client" } ] }"#
        #expect {
            try Self.plan("pod-to-pod-http", mapText: map)
        } throws: { error in
            "\(error)".hasPrefix("map.json:1:") && "\(error)".contains("container \"nginx\" is not in the topology")
        }
    }

    @Test(arguments: [
        (
            #"{ "endpoints": [ { "match": "198.18.0.300", "container": "x" } ] }"#, "endpoints[0].match",
            "is not an address"
        ),
        (#"{ "endpoints": [ { "match": "198.18.0.2" } ] }"#, "endpoints[0].container", "missing \"container\""),
        (
            #"{ "endpoints": [ { "match": "198.18.0.2", "container": "x", "port": 80 } ] }"#, "endpoints[0].port",
            "unknown key"
        ),
        (#"{ "hosts": [] }"#, "", "no \"endpoints\" list"),
        (#"{ "endpoints": [ "#, "", "malformed JSON"),
    ])
    func badMapsNameThePlace(text: String, path: String, mention: String) {
        do {
            _ = try ReplayMap.read(text, file: "m.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.path == path, "\(error)")
            #expect(error.description.contains(mention), "\(error)")
            #expect(error.line != nil)
        }
    }

    @Test func mapRulesMatchByPortPrefixAndFamily() throws {
        let map = try ReplayMap.read(
            """
            { "endpoints": [ { "match": "198.18.0.0/16", "container": "any" }, { "match": "198.18.0.2", "container": "host" },
                             { "match": "198.18.0.2:8080", "container": "web" }, { "match": "[2001:2::2]:80", "container": "v6web" },
                             { "match": "2001:2::/48", "container": "v6any" } ] }
            """, file: "m.json")
        func endpoint(_ address: String, _ port: UInt16) -> Endpoint {
            Endpoint(address: IPAddress(Substring(address))!, port: port)
        }
        #expect(map.container(for: endpoint("198.18.0.2", 8080)) == "web")
        #expect(map.container(for: endpoint("198.18.0.2", 22)) == "host")
        #expect(map.container(for: endpoint("198.18.7.9", 22)) == "any")
        #expect(map.container(for: endpoint("198.20.0.1", 22)) == nil)
        #expect(map.container(for: endpoint("2001:2::2", 80)) == "v6web")
        #expect(map.container(for: endpoint("2001:2::99", 80)) == "v6any")
    }

    @Test func suggestedMapCoversEveryAddressAndNamesServices() throws {
        let summary = try TraceInspector.inspect(path: Self.path("Traces/pod-to-pod-http.pcap"))
        let text = MapSuggestion.suggest(for: summary)
        let map = try ReplayMap.read(text, file: "suggested.json")
        #expect(map.rules.count == 2)
        #expect(map.rules.contains { $0.container == "http-8080" })
        for conversation in summary.conversations {
            #expect(map.container(for: conversation.a) != nil && map.container(for: conversation.b) != nil)
        }
    }
}

@Suite struct CausalReplayTests {
    /// Causal mode never sends a message before the other side's previous one was delivered;
    /// open mode, sending at captured times, does when the simulated path is slower than the
    /// captured one (so the check can fail).
    @Test(arguments: ["pod-to-pod-http", "pod-to-pod-sockperf", "intra-pod-loopback", "pod-to-pod-ipv6"])
    func causalModeKeepsEveryExchangeInOrder(trace: String) throws {
        let plan = try ReplayTests.plan(trace)
        let causal = try ReplayRunner.run(
            plan, groupings: [0, 1, 2], profile: .linuxDefault, seed: 1, speed: 1, mode: .causal)
        #expect(causal.orderViolations == [0, 0, 0])
        for grouping in causal.simulation.groupings {
            #expect(
                grouping.flows[0].messages == grouping.flows[0].offeredMessages,
                "every message delivered in \(grouping.name)")
        }
    }

    /// Under `ideal` inside one pod, deliveries happen within the injection itself; every
    /// conversation must still run to its end, at exactly the captured times.
    @Test(arguments: ReplayTests.traces)
    func causalReplayWithoutCostsDeliversEverythingAtCapturedTimes(trace: String) throws {
        let plan = try ReplayTests.plan(trace)
        let result = try ReplayRunner.run(plan, groupings: [0], profile: .ideal, seed: 1, speed: 1, mode: .causal)
        #expect(result.orderViolations == [0])
        for flow in result.simulation.groupings[0].flows {
            #expect(flow.offeredMessages > 0)
            #expect(flow.messages == flow.offeredMessages, "\(flow.name)")
            #expect(flow.latency.maximumPicoseconds == 0)
        }
        // With no network time, a simulated exchange is the captured one minus the time its
        // request and response took on the wire in the capture (from first to last packet):
        // exactly equal where every message is one packet, shorter otherwise.
        let captured = result.captured, simulated = result.simulatedExchanges[0]
        let singlePacketMessages = trace == "pod-to-pod-sockperf" || trace == "intra-pod-loopback"
        for index in captured.indices where captured[index].count > 0 {
            #expect(simulated[index].count == captured[index].count)
            if singlePacketMessages {
                #expect(simulated[index].sumPicoseconds == captured[index].sumPicoseconds, "\(trace)")
            } else {
                #expect(simulated[index].sumPicoseconds <= captured[index].sumPicoseconds, "\(trace)")
            }
        }
    }

    @Test func openModeAtHighSpeedBreaksTheOrderCausalModeKeeps() throws {
        let plan = try ReplayTests.plan("pod-to-pod-sockperf")
        // Ten thousand times faster than captured, responses are sent before requests arrive.
        let open = try ReplayRunner.run(
            plan, groupings: [2], profile: .linuxDefault, seed: 1, speed: 10_000, mode: .open)
        #expect(open.orderViolations[0] > 0)
        let causal = try ReplayRunner.run(
            plan, groupings: [2], profile: .linuxDefault, seed: 1, speed: 10_000, mode: .causal)
        #expect(causal.orderViolations[0] == 0)
    }

    /// A simulated exchange takes the captured server time plus the simulated network: a pod of
    /// its own is faster than crossing nodes, and every exchange the capture shows is simulated.
    @Test func causalExchangesFollowTheGrouping() throws {
        let plan = try ReplayTests.plan("pod-to-pod-http")
        let result = try ReplayRunner.run(
            plan, groupings: [0, 2], profile: .linuxDefault, seed: 1, speed: 1, mode: .causal)
        let onePod = result.simulatedExchanges[0][0], crossNode = result.simulatedExchanges[1][0]
        #expect(onePod.count == result.captured[0].count)
        #expect(crossNode.count == result.captured[0].count)
        #expect(onePod.meanNanoseconds < crossNode.meanNanoseconds)
    }
}

@Suite struct ReplayPcapOutTests {
    /// One pcap per grouping: the mapped conversations with the replayed payload, each message a
    /// frame at its simulated delivery time, readable by netlab.
    @Test(arguments: ["pod-to-pod-http", "pod-to-pod-ipv6", "pod-to-pod-sockperf"])
    func pcapOutHoldsTheDeliveredMessages(trace: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "netlab-pcap-out-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plan = try ReplayTests.plan(trace)
        let result = try ReplayRunner.run(
            plan, groupings: [0, 2], profile: .linuxDefault, seed: 1, speed: 1, mode: .causal, pcapDirectory: folder)
        for grouping in result.simulation.groupings {
            let path = "\(folder)/\(grouping.name).pcap"
            let written = try TraceInspector.inspect(path: path)
            #expect(written.conversations.count == plan.conversationFlow.filter { $0 >= 0 }.count)
            let payload = written.conversations.reduce(0) { $0 + $1.payloadAToB + $1.payloadBToA }
            #expect(Int64(payload) == grouping.flows.reduce(0) { $0 + $1.bytes })
            #expect(written.firstNanoseconds ?? 0 >= plan.firstTimestamp)
        }
    }

    /// tshark reads the written pcaps frame for frame as netlab does.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark"), "needs tshark (apt-get install tshark)"
        ))
    func tsharkReadsTheWrittenPcaps() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "netlab-pcap-tshark-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plan = try ReplayTests.plan("pod-to-pod-http")
        let result = try ReplayRunner.run(
            plan, groupings: [0, 2], profile: .linuxDefault, seed: 1, speed: 1, mode: .causal, pcapDirectory: folder)
        for grouping in result.simulation.groupings {
            let path = "\(folder)/\(grouping.name).pcap"
            let written = try TraceInspector.inspect(path: path)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/tshark")
            process.arguments = ["-n", "-r", path, "-T", "fields", "-e", "frame.number"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let lines = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(
                separator: "\n"
            ).count
            process.waitUntilExit()
            #expect(written.packets > 0 && lines == written.packets, "\(grouping.name)")
        }
    }
}

@Suite struct ExternalEndpointTests {
    /// An address mapped to `external` is a host outside the cluster, reached through the switch:
    /// even when the other side's pod holds everything else, its traffic crosses nodes.
    @Test func externalEndpointsAreReachedThroughTheFabric() throws {
        let map =
            #"{ "endpoints": [ { "match": "198.18.0.2", "container": "web" }, { "match": "198.18.0.3", "container": "external" } ] }"#
        let plan = try ReplayTests.plan("pod-to-pod-http", mapText: map)
        #expect(plan.topology.containers.last?.name == "external")
        #expect(plan.topology.cluster.nodes.last?.name == "outside")
        let result = try ReplayRunner.run(plan, groupings: [0], profile: .linuxDefault, seed: 1, speed: 1)
        let flow = try #require(result.simulation.groupings[0].flows.first)
        #expect(flow.name == "external->web/tcp")
        #expect(flow.path == .crossNode)
        #expect(flow.messages == flow.offeredMessages)
    }
}

/// Maps may be written in YAML as topologies may: the same rules, the same places in errors.
@Suite struct YAMLMapTests {
    @Test func aYAMLMapReadsLikeItsJSON() throws {
        let yaml = """
            description: two pods
            endpoints:
              - { match: 198.18.0.2, container: web }
              - match: 198.18.0.0/24
                container: client
            """
        let json =
            #"{ "description": "two pods", "endpoints": [ { "match": "198.18.0.2", "container": "web" }, { "match": "198.18.0.0/24", "container": "client" } ] }"#
        let fromYAML = try ReplayMap.read(yaml, file: "map.yaml"), fromJSON = try ReplayMap.read(json, file: "map.json")
        for address in ["198.18.0.2", "198.18.0.9", "198.18.1.1"] {
            let ip = IPAddress(Substring(address))!
            #expect(
                fromYAML.container(for: Endpoint(address: ip, port: 80))
                    == fromJSON.container(for: Endpoint(address: ip, port: 80)))
        }
        do {
            _ = try ReplayMap.read("endpoints:\n  - { match: 198.18.0.2, container: web, color: red }\n", file: "m.yml")
            Issue.record("accepted an unknown key")
        } catch { #expect(error.description.hasPrefix("m.yml:2:"), "\(error)") }
    }
}
