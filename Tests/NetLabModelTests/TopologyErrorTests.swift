import Foundation
import NetLabCore
import NetLabSpec
import Testing

@testable import NetLabModel

/// Every kind of bad topology gives an error that names the place (line:column and JSON path) and
/// the fix.
@Suite struct TopologyErrorTests {
    static let valid = """
        {
          "name": "t",
          "cluster": { "nodes": [ { "name": "a", "cores": 2 }, { "name": "b", "cores": 2 } ] },
          "containers": [ { "name": "web", "cpu": 1 }, "cache", "log" ],
          "flows": [
            { "name": "get", "from": "web", "to": "cache", "pattern": "rpc", "request": "100B", "response": "1KiB", "rate": "100/s" },
            { "name": "logs", "from": "web", "to": "log", "pattern": "oneway", "transport": "shm", "size": "200B", "rate": "100/s" }
          ],
          "groupings": [
            { "name": "g", "pods": [ { "containers": ["web", "log"], "node": "a" }, { "containers": ["cache"], "node": "b" } ] }
          ]
        }
        """

    func readError(_ text: String) -> SpecError? {
        do {
            _ = try TopologyReader.read(text, file: "bad.json")
            return nil
        } catch {
            return error
        }
    }

    @Test func theValidBaseReads() throws {
        let topology = try TopologyReader.read(Self.valid, file: "ok.json")
        #expect(topology.flows.count == 2)
        #expect(topology.groupings[0].pods.count == 2)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var replace: String
        var with: String
        var path: String
        var mentions: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "unknown key", replace: #""name": "t","#, with: #""name": "t", "durration": "1s","#,
            path: "durration", mentions: ["unknown key", "did you mean \"duration\""]),
        Case(
            name: "dangling container in a flow", replace: #""to": "cache""#, with: #""to": "cahce""#,
            path: "flows[0].to", mentions: ["unknown container \"cahce\"", "did you mean \"cache\""]),
        Case(
            name: "dangling container in a pod", replace: #""containers": ["cache"]"#,
            with: #""containers": ["redis"]"#,
            path: "groupings[0].pods[1].containers[0]", mentions: ["unknown container \"redis\""]),
        Case(
            name: "container in two pods", replace: #""containers": ["cache"]"#,
            with: #""containers": ["cache", "web"]"#,
            path: "groupings[0].pods[1].containers[1]", mentions: ["already in pod", "exactly one pod"]),
        Case(
            name: "container in no pod", replace: #", { "containers": ["cache"], "node": "b" }"#, with: "",
            path: "groupings[0].pods", mentions: ["no pod for \"cache\""]),
        Case(
            name: "shm between pods",
            replace: #""containers": ["web", "log"], "node": "a" }, { "containers": ["cache"]"#,
            with: #""containers": ["web"], "node": "a" }, { "containers": ["cache", "log"]"#,
            path: "flows[1].transport", mentions: ["shm", "needs one pod", "fallback"]),
        Case(
            name: "more cores than the node has", replace: #"{ "name": "web", "cpu": 1 }"#,
            with: #"{ "name": "web", "cpu": 3 }"#,
            path: "groupings[0].pods", mentions: ["requests 3.0 cores on node \"a\", which has 2"]),
        Case(
            name: "negative size", replace: #""size": "200B""#, with: #""size": "-200B""#,
            path: "flows[1].size", mentions: ["negative"]),
        Case(
            name: "unit-less number", replace: #""size": "200B""#, with: #""size": 200"#,
            path: "flows[1].size", mentions: ["has no unit", "\"1500B\""]),
        Case(
            name: "absurd unit", replace: #""rate": "100/s" },"#, with: #""rate": "100/fortnight" },"#,
            path: "flows[0].rate", mentions: ["unknown unit"]),
        Case(
            name: "unknown node", replace: #""node": "b""#, with: #""node": "c""#,
            path: "groupings[0].pods[1].node", mentions: ["unknown node \"c\"", "nodes are: a, b"]),
        Case(
            name: "replicas and nodes disagree", replace: #"{ "containers": ["cache"], "node": "b" }"#,
            with: #"{ "containers": ["cache"], "replicas": 3, "nodes": ["a", "b"] }"#,
            path: "groupings[0].pods[1].nodes", mentions: ["3 replicas but 2 nodes"]),
        Case(
            name: "unknown pattern", replace: #""pattern": "rpc""#, with: #""pattern": "pubsub""#,
            path: "flows[0].pattern", mentions: ["unknown pattern", "rpc, oneway or stream"]),
        Case(
            name: "two arrival processes", replace: #""rate": "100/s" },"#, with: #""rate": "100/s", "callers": 4 },"#,
            path: "flows[0]", mentions: ["more than one arrival process"]),
        Case(
            name: "warm-up longer than the run", replace: #""name": "t","#,
            with: #""name": "t", "duration": "1s", "warmup": "2s","#,
            path: "warmup", mentions: ["not shorter than the duration"]),
        Case(
            name: "bandwidth burst too small", replace: #"{ "name": "web", "cpu": 1 }"#,
            with: #"{ "name": "web", "cpu": 1, "bandwidth": { "egress": { "rate": "1Gbps", "burst": "1KiB" } } }"#,
            path: "containers[0].bandwidth.egress.burst", mentions: ["out of range", "could never pass"]),
        Case(
            name: "bandwidth limit below the burst", replace: #"{ "name": "web", "cpu": 1 }"#,
            with:
                #"{ "name": "web", "cpu": 1, "bandwidth": { "ingress": { "rate": "1Gbps", "burst": "1MiB", "limit": "64KiB" } } }"#,
            path: "containers[0].bandwidth.ingress.limit", mentions: ["smaller than the burst"]),
        Case(
            name: "bandwidth rate out of range", replace: #"{ "name": "web", "cpu": 1 }"#,
            with: #"{ "name": "web", "cpu": 1, "bandwidth": { "egress": "10bps" } }"#,
            path: "containers[0].bandwidth.egress", mentions: ["out of range", "1kbps to 10Tbps"]),
        Case(
            name: "bandwidth direction unknown", replace: #"{ "name": "web", "cpu": 1 }"#,
            with: #"{ "name": "web", "cpu": 1, "bandwidth": { "egres": "10Mbps" } }"#,
            path: "containers[0].bandwidth.egres", mentions: ["unknown key", "did you mean \"egress\""]),
        Case(
            name: "zone latency without zones", replace: #""cluster": { "nodes": [ { "name": "a", "cores": 2 }"#,
            with: #""cluster": { "fabric": { "zone_latency": "1ms" }, "nodes": [ { "name": "a", "cores": 2 }"#,
            path: "cluster.fabric.zone_latency", mentions: ["fewer than two zones", "give nodes a \"zone\""]),
        Case(
            name: "nodes on one host with different core counts",
            replace: #"{ "name": "a", "cores": 2 }, { "name": "b", "cores": 2 }"#,
            with: #"{ "name": "a", "cores": 2, "host": "h" }, { "name": "b", "cores": 4, "host": "h" }"#,
            path: "cluster.nodes[1].cores", mentions: ["shares host \"h\" with node \"a\"", "the host's core count"]),
        Case(
            name: "absurd uplink latency", replace: #"{ "name": "a", "cores": 2 }"#,
            with: #"{ "name": "a", "cores": 2, "latency": "2s" }"#,
            path: "cluster.nodes[0].latency", mentions: ["absurd", "at most 1s"]),
        Case(
            name: "node NIC shaper with a burst too small", replace: #"{ "name": "a", "cores": 2 }"#,
            with: #"{ "name": "a", "cores": 2, "nic": { "shaping": { "rate": "10Gbps", "burst": "2KiB" } } }"#,
            path: "cluster.nodes[0].nic.shaping.burst", mentions: ["out of range", "could never pass"]),
        Case(
            name: "node NIC shaping misspelt", replace: #"{ "name": "a", "cores": 2 }"#,
            with: #"{ "name": "a", "cores": 2, "nic": { "shapping": "1Gbps" } }"#,
            path: "cluster.nodes[0].nic.shapping", mentions: ["unknown key", "did you mean \"shaping\""]),
        Case(
            name: "netfilter not a boolean", replace: #"{ "name": "a", "cores": 2 }"#,
            with: #"{ "name": "a", "cores": 2, "netfilter": "no" }"#,
            path: "cluster.nodes[0].netfilter", mentions: ["true or false"]),
        Case(
            name: "absurd interrupt delay", replace: #"{ "name": "a", "cores": 2 }"#,
            with: #"{ "name": "a", "cores": 2, "nic": { "interrupt_delay": "5s" } }"#,
            path: "cluster.nodes[0].nic.interrupt_delay", mentions: ["absurd"]),
        Case(
            name: "per-call connection over shared memory", replace: #""size": "200B", "rate": "100/s" }"#,
            with: #""size": "200B", "rate": "100/s", "connection": "per-call" }"#,
            path: "flows[1].connection", mentions: ["unknown key"]),
        Case(
            name: "per-call connection over udp", replace: #""pattern": "rpc", "request""#,
            with: #""pattern": "rpc", "transport": "udp", "connection": "per-call", "request""#,
            path: "flows[0].connection", mentions: ["per-call connections are TCP's; this flow uses udp"]),
        Case(
            name: "unknown connection", replace: #""response": "1KiB", "rate": "100/s" }"#,
            with: #""response": "1KiB", "rate": "100/s", "connection": "pooled" }"#,
            path: "flows[0].connection", mentions: ["unknown connection \"pooled\"", "per-call"]),
        Case(
            name: "unknown transport in affine_wakeups", replace: #""name": "t","#,
            with:
                #""name": "t", "profile": { "base": "linux-default", "overrides": { "affine_wakeups": "tcp, smtp" } },"#,
            path: "profile.overrides.affine_wakeups", mentions: ["not a list of transports", "uds-dgram", "\"none\""]),
        Case(
            name: "unknown overlay scope", replace: #""cores": 2 } ] },"#,
            with: #""cores": 2 } ], "overlay": { "kind": "vxlan", "between": "regions" } },"#,
            path: "cluster.overlay.between", mentions: ["unknown scope \"regions\"", "\"zones\""]),
        Case(
            name: "overlay between zones without zones", replace: #""cores": 2 } ] },"#,
            with: #""cores": 2 } ], "overlay": { "kind": "vxlan", "between": "zones" } },"#,
            path: "cluster.overlay.between", mentions: ["fewer than two zones", "\"zone\""]),
        Case(
            name: "wrong type", replace: #""cores": 2 }, { "name": "b""#, with: #""cores": "two" }, { "name": "b""#,
            path: "cluster.nodes[0].cores", mentions: ["whole number"]),
    ]

    @Test(arguments: cases)
    func badInputNamesThePlaceAndTheFix(_ testCase: Case) throws {
        #expect(Self.valid.contains(testCase.replace), "fixture text not found")
        let text = Self.valid.replacingOccurrences(of: testCase.replace, with: testCase.with)
        let error = try #require(readError(text))
        #expect(error.path == testCase.path, "\(error)")
        #expect(error.line != nil && error.column != nil, "\(error)")
        for mention in testCase.mentions { #expect(error.description.contains(mention), "\(error)") }
        #expect(error.description.hasPrefix("bad.json:"))
        #expect(!error.description.contains("\n"))
    }

    @Test func malformedJSONGivesLineAndColumn() throws {
        let text = "{\n  \"name\": \"t\",\n  \"cluster\": { \"nodes\": [ }\n}"
        let error = try #require(readError(text))
        #expect(error.line == 3)
        #expect(error.column == 27)
        #expect(error.description.hasPrefix("bad.json:3:27: malformed JSON"))
    }

    /// A value whose unit does not parse is placed in the file, and the unit's own error is kept.
    @Test func aBadUnitKeepsItsCause() throws {
        let error = try #require(
            readError(Self.valid.replacingOccurrences(of: #""rate": "100/s" },"#, with: #""rate": "100/fortnight" },"#))
        )
        let cause = try #require(error.cause as? UnitParseError)
        #expect(cause.input == "100/fortnight")
        #expect(error.description.hasPrefix("bad.json:"))
        #expect(error.description.contains(cause.problem) && error.description.contains(cause.fix))
    }

    @Test func truncatedJSONSaysItIsIncomplete() throws {
        let error = try #require(readError(String(Self.valid.prefix(120))))
        #expect(error.description.contains("malformed JSON"))
    }

    @Test func duplicateKeysAreRejected() throws {
        let error = try #require(readError(#"{ "name": "a", "name": "b" }"#))
        #expect(error.description.contains("duplicate key \"name\""))
    }
}

@Suite struct YAMLTopologyTests {
    static let yaml = """
        name: t
        cluster:
          nodes:
            - name: a
              cores: 2
        containers: [web, cache]
        flows:
          - from: web
            to: cache
            pattern: rpc
            request: 100B
            response: "1KiB"
            rate: 100/s
        groupings:
          - name: g
            pods:
              - containers: [web, cache]
        """

    @Test func yamlReadsLikeJSON() throws {
        let topology = try TopologyReader.read(Self.yaml, file: "t.yaml")
        #expect(topology.containers.map(\.name) == ["web", "cache"])
        #expect(topology.cluster.nodes[0].cores == 2)
        #expect(topology.flows.count == 1)
        #expect(topology.groupings[0].pods[0].replicaNodes == [0])
    }

    @Test func yamlErrorsNameLineColumnAndPath() {
        let bad = Self.yaml.replacingOccurrences(of: "      cores: 2", with: "      cores: 2\n      gpus: 1")
        do {
            _ = try TopologyReader.read(bad, file: "t.yml")
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "cluster.nodes[0].gpus")
            #expect(error.line == 6 && error.column == 13, "\(error)")
            #expect(error.description.hasPrefix("t.yml:6:13: cluster.nodes[0].gpus: unknown key"))
        }
        do {
            _ = try TopologyReader.read("name: [unclosed\n", file: "t.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("malformed YAML"))
            #expect(error.line != nil)
        }
        // A quoted number stays a string, so a unit-less number is still refused.
        let unitless = Self.yaml.replacingOccurrences(of: "request: 100B", with: "request: 100")
        #expect(throws: SpecError.self) { try TopologyReader.read(unitless, file: "t.yaml") }
    }

    /// Found by fuzzing (FuzzProfile, in CI): YAML 1.1 reads `1:30:00` as a base-60 integer, and
    /// Yams trapped on one too large for Int. netlab reads numbers as JSON writes them.
    @Test func sexagesimalNumbersDoNotCrash() {
        let huge = "66666666666666666:66666666666666:6666"
        #expect(throws: SpecError.self) { try ProfileReader.read(huge, file: "p.yaml") }
        let text = Self.yaml.replacingOccurrences(of: "from: web", with: "from: \(huge)")
        #expect(throws: SpecError.self) { try TopologyReader.read(text, file: "t.yaml") }
    }

    /// Aliases nested within each other ("a billion laughs": 9⁹ leaves from 11 lines) stop at a
    /// budget of the text's size plus a million values, with a located error; an alias as a
    /// mapping key, which Yams would compare whole with every key, is refused before Yams reads it.
    @Test func aliasExpansionIsBounded() {
        var lines = ["name: laughs", #"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        for level in 1..<10 {
            lines.append(
                "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]")
        }
        do {
            _ = try TopologyReader.read(lines.joined(separator: "\n") + "\n", file: "laughs.yaml")
            Issue.record("expanded a billion laughs")
        } catch {
            #expect(error.description.contains("expands to more values than its text holds"), "\(error)")
        }
        do {
            _ = try TopologyReader.read("name: x\nbig: &big [1, 2]\nmap:\n  *big : 3\n", file: "key.yaml")
            Issue.record("accepted an alias as a key")
        } catch {
            #expect(error.description.hasPrefix("key.yaml:4:3: a YAML alias (*big) used as a mapping key"), "\(error)")
        }
        // Ordinary anchors and aliases still read.
        let anchored = Self.yaml.replacingOccurrences(
            of: "containers: [web, cache]\nflows", with: "containers: &all [web, cache]\nflows"
        )
        .replacingOccurrences(of: "- containers: [web, cache]", with: "- containers: *all")
        #expect(anchored.contains("*all") && anchored.contains("&all"))
        #expect((try? TopologyReader.read(anchored, file: "t.yaml"))?.groupings[0].pods[0].containers == [0, 1])
    }

    /// A key given twice: one line with its place, not the whole document.
    @Test func duplicateKeysAreOneLocatedLine() {
        do {
            _ = try TopologyReader.read("name: x\ncontainers: [a, b]\ncontainers: [c]\n", file: "t.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "t.yaml:2:1: duplicate key \"containers\" in one mapping; give each key once")
        }
    }

    /// YAML reads plain no, yes, on, off as booleans (and null, numbers as such): where a name was
    /// meant, the error says so and how to quote it.
    @Test(arguments: ["no", "on", "off", "yes", "null", "1e3"])
    func wordsYAMLTakesForOtherKindsAskForQuotes(word: String) {
        let text = Self.yaml.replacingOccurrences(of: "from: web", with: "from: \(word)")
        do {
            _ = try TopologyReader.read(text, file: "t.yaml")
            Issue.record("expected an error for \(word)")
        } catch {
            #expect(error.description.contains("YAML reads the plain \(word) as"), "\(error)")
            #expect(error.description.contains("quote it: \"\(word)\""), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }
}

/// Threads, cpusets and wait modes are checked against where each grouping puts the container.
@Suite struct HostFieldErrorTests {
    static func topology(containers: String, cores: Int = 2, flowExtra: String = "") -> String {
        """
        { "cluster": { "nodes": [ { "name": "a", "cores": \(cores) } ] },
          "containers": \(containers),
          "flows": [ { "from": "x", "to": "y", "pattern": "oneway", "size": "64B", "rate": "10/s"\(flowExtra) } ],
          "groupings": [ { "name": "g", "pods": [ { "containers": ["x", "y"], "node": "a" } ] } ] }
        """
    }

    @Test(arguments: [
        (#"[{ "name": "x", "cpuset": [3] }, "y"]"#, "", "pinned to core 3"),
        (#"[{ "name": "x", "cpuset": "0-1,x" }, "y"]"#, "", "not a core"),
        (#"[{ "name": "x", "cpuset": [0, 0] }, "y"]"#, "", "listed twice"),
        (#"[{ "name": "x", "wait": "spin" }, "y"]"#, "", "unknown wait mode"),
        (#"[{ "name": "x", "threads": 0 }, "y"]"#, "", "threads"),
        (#"[{ "name": "x", "wait": "poll", "threads": 2 }, { "name": "y", "wait": "poll" }]"#, "", "3 polling threads"),
        (
            #"[{ "name": "x", "wait": "poll", "threads": 2, "cpuset": [1] }, "y"]"#, "",
            "polls with 2 threads on 1 pinned core"
        ),
        (#"["x", "y"]"#, #", "congestion_control": "vegas""#, "unknown congestion control"),
        (#"["x", "y"]"#, #", "send_buffer": "1KiB""#, "out of range"),
        (#"["x", "y"]"#, #", "nagle": "yes""#, "true or false"),
        (#"["x", "y"]"#, #", "transport": "udp-dgram""#, "uds-dgram"),
    ])
    func badHostFieldsAreRejected(containers: String, flowExtra: String, mention: String) throws {
        #expect {
            _ = try TopologyReader.read(Self.topology(containers: containers, flowExtra: flowExtra), file: "t.json")
        } throws: { error in
            let text = "\(error)"
            return text.contains(mention) && text.contains("t.json")
        }
    }

    @Test func goodHostFieldsAreRead() throws {
        let topology = try TopologyReader.read(
            Self.topology(
                containers: #"[{ "name": "x", "threads": 2, "cpuset": "0-1", "wait": "poll" }, "y"]"#,
                flowExtra: #", "transport": "uds-dgram""#), file: "t.json")
        #expect(
            topology.containers[0].threads == 2 && topology.containers[0].cpuset == [0, 1]
                && topology.containers[0].wait == .poll)
        #expect(topology.flows[0].transport == .udsDatagram)
    }
}

/// Quantities and distributions that reach integer time or bytes: extreme ones are refused with
/// a located error, and heavy tails are held within what a run can represent instead of crashing.
@Suite struct ExtremeQuantityTests {
    static func topology(flow: String, duration: String = "100ms", fabric: String = "") -> String {
        """
        { "duration": "\(duration)", "profile": "ideal",
          "cluster": { "nodes": [ { "name": "a" } ]\(fabric) },
          "containers": ["x", "y"], "flows": [ \(flow) ],
          "groupings": [ { "name": "g", "pods": [ { "containers": ["x", "y"] } ] } ] }
        """
    }

    @Test(arguments: [
        (
            #"{ "from": "x", "to": "y", "pattern": "oneway", "size": "100B", "rate": "0.000000001/s" }"#, "100ms", "",
            "out of range"
        ),
        (
            #"{ "from": "x", "to": "y", "pattern": "oneway", "size": "2GiB", "interval": "1ms" }"#, "100ms", "",
            "too large"
        ),
        (
            #"{ "from": "x", "to": "y", "pattern": "oneway", "size": "100B", "interval": "2000000s" }"#, "100ms", "",
            "too long"
        ),
        (
            #"{ "from": "x", "to": "y", "pattern": "oneway", "size": "100B", "interval": "1ms" }"#, "3000000s", "",
            "longer than netlab simulates"
        ),
        (
            #"{ "from": "x", "to": "y", "pattern": "oneway", "size": "100B", "interval": "1ms" }"#, "100ms",
            #", "fabric": { "latency": "10s" }"#, "absurd"
        ),
    ])
    func extremeQuantitiesAreRefused(flow: String, duration: String, fabric: String, mention: String) {
        #expect {
            _ = try TopologyReader.read(Self.topology(flow: flow, duration: duration, fabric: fabric), file: "t.json")
        } throws: { error in "\(error)".contains(mention) && "\(error)".hasPrefix("t.json:") }
    }

    /// A Pareto of shape 0.1 draws times and sizes beyond Int64 picoseconds and any memory: the
    /// run completes, the long draws simply do not finish within it.
    @Test func heavyTailsDoNotCrash() throws {
        let flows = [
            #"{ "from": "x", "to": "y", "pattern": "rpc", "request": "1B", "response": "1B", "rate": "1000/s", "server_time": { "pareto": { "min": "1ms", "shape": 0.1 } } }"#,
            #"{ "from": "x", "to": "y", "pattern": "oneway", "transport": "udp", "size": { "pareto": { "min": "100B", "shape": 0.01 } }, "interval": "10ms" }"#,
            #"{ "from": "x", "to": "y", "pattern": "rpc", "request": "1B", "response": "1B", "callers": 2, "think": { "lognormal": { "median": "1ms", "sigma": 10 } } }"#,
        ]
        for flow in flows {
            let result = try Fixtures.run(Self.topology(flow: flow))
            #expect(result.groupings[0].flows[0].offeredMessages > 0, "\(flow)")
        }
    }
}
