import Foundation
import NetLabCore
import NetLabSpec
import Testing

@testable import NetLabModel

/// Processes with threads on cores, wake-ups that depend on where a thread runs, buffers that
/// block writers or drop datagrams, and the per-transport costs.
@Suite struct HostModelTests {
    /// One pod on one node of `cores` cores; `containers` and `flows` as JSON text.
    static func onePod(
        cores: Int, containers: String = #"["src", "dst"]"#, podContainers: String = #"["src", "dst"]"#, flows: String,
        duration: String = "100ms", profile: String = #""linux-default""#
    ) -> String {
        """
        { "name": "pod", "duration": "\(duration)", "warmup": "10ms", "profile": \(profile),
          "cluster": { "nodes": [ { "name": "a", "cores": \(cores) } ] },
          "containers": \(containers), "flows": [ \(flows) ],
          "groupings": [ { "name": "one-pod", "pods": [ { "name": "p", "containers": \(podContainers), "node": "a" } ] } ] }
        """
    }

    /// A process with one thread does one thing at a time: its stream is as fast on 16 cores as
    /// on 2 (sender and receiver each have a core), for every IPC transport.
    @Test(arguments: ["shm", "pipe", "uds"])
    func singleThreadedStreamDoesNotScaleWithCores(transport: String) throws {
        let flow = #"{ "from": "src", "to": "dst", "pattern": "stream", "transport": "\#(transport)" }"#
        let two = try Fixtures.run(Self.onePod(cores: 2, flows: flow)).groupings[0].flows[0].throughputBitsPerSecond
        let sixteen = try Fixtures.run(Self.onePod(cores: 16, flows: flow)).groupings[0].flows[0]
            .throughputBitsPerSecond
        #expect(two > 1e9)
        #expect(abs(sixteen / two - 1) < 0.02, "\(transport): \(two) b/s on 2 cores, \(sixteen) on 16")
    }

    /// Two streams between different process pairs run in parallel: twice the CPU, each as fast as one alone.
    @Test func twoStreamsOfDifferentProcessesUseTwiceTheCores() throws {
        let containers = #"["src", "dst", "s2", "d2"]"#
        let one = #"{ "from": "src", "to": "dst", "pattern": "stream", "transport": "shm" }"#
        let two = one + #", { "from": "s2", "to": "d2", "pattern": "stream", "transport": "shm" }"#
        let blocking = #"{"base": "linux-default", "overrides": {"shm_wait": "block"}}"#
        let alone = try Fixtures.run(
            Self.onePod(cores: 8, containers: containers, podContainers: containers, flows: one, profile: blocking)
        ).groupings[0]
        let pair = try Fixtures.run(
            Self.onePod(cores: 8, containers: containers, podContainers: containers, flows: two, profile: blocking)
        ).groupings[0]
        #expect(abs(pair.flows[0].throughputBitsPerSecond / alone.flows[0].throughputBitsPerSecond - 1) < 0.02)
        #expect(abs(pair.flows[1].throughputBitsPerSecond / alone.flows[0].throughputBitsPerSecond - 1) < 0.02)
        #expect(
            abs(pair.nodes[0].cpuUtilization / alone.nodes[0].cpuUtilization - 2) < 0.05,
            "CPU \(alone.nodes[0].cpuUtilization) alone, \(pair.nodes[0].cpuUtilization) with two streams")
    }

    /// Server threads as servers of an M/M/c queue: exponential server times, Poisson calls, no
    /// other cost (`ideal`, one pod): the mean call time matches Erlang C within 2%.
    @Test func serverThreadsFormAnMMcQueue() throws {
        let servers = 4, serviceMicroseconds = 100.0, load = 0.7
        let lambda = load * Double(servers) / (serviceMicroseconds * 1e-6)
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "rpc", "request": "100B", "response": "100B", "rate": "\#(Int(lambda))/s", "server_time": { "exp": "100us" } }"#
        let containers = #"["src", { "name": "dst", "threads": \#(servers) }]"#
        let result = try Fixtures.run(
            Self.onePod(cores: 8, containers: containers, flows: flow, duration: "8s", profile: #""ideal""#))
        let calls = result.groupings[0].flows[0]
        let a = lambda * serviceMicroseconds * 1e-6
        var sum = 0.0, term = 1.0
        for k in 0..<servers {
            if k > 0 { term *= a / Double(k) }
            sum += term
        }
        let last = term * a / Double(servers) / (1 - load)
        let erlangC = last / (sum + last)
        let theory = erlangC * serviceMicroseconds / (Double(servers) * (1 - load)) + serviceMicroseconds
        let measured = calls.latency.meanNanoseconds / 1000
        #expect(calls.messages > 150_000)
        #expect(
            abs(measured / theory - 1) < 0.02,
            "M/M/\(servers) at ρ=\(load): measured \(measured) µs, Erlang C \(theory) µs")
    }

    /// Round trip of a small uds rpc under a profile where only waking costs: pinned to one core,
    /// each side is woken by a context switch; on two cores, by an idle-core wake-up; polling,
    /// not at all.
    @Test func wakeUpsDependOnWhereTheThreadRuns() throws {
        func roundTrip(_ client: String, _ server: String) throws -> Double {
            let profile =
                #"{"base": "ideal", "overrides": {"wakeup": "30us", "context_switch": "2us", "socket_wait": "block"}}"#
            let containers = "[\(client), \(server)]"
            let flow =
                #"{ "from": "src", "to": "dst", "pattern": "rpc", "transport": "uds", "request": "64B", "response": "64B", "interval": "1ms" }"#
            let flows = try Fixtures.run(Self.onePod(cores: 2, containers: containers, flows: flow, profile: profile))
                .groupings[0].flows[0]
            return Double(flows.latency.valueAtPercentile(50)) / 1000
        }
        let sameCore = try roundTrip(#"{ "name": "src", "cpuset": [0] }"#, #"{ "name": "dst", "cpuset": [0] }"#)
        let twoCores = try roundTrip(#"{ "name": "src", "cpuset": [0] }"#, #"{ "name": "dst", "cpuset": "1" }"#)
        let polling = try roundTrip(#"{ "name": "src", "wait": "poll" }"#, #"{ "name": "dst", "wait": "poll" }"#)
        #expect(abs(sameCore - 4) < 0.01, "same core \(sameCore) µs")
        #expect(abs(twoCores - 60) < 0.01, "two cores \(twoCores) µs")
        #expect(polling == 0, "polling \(polling) µs")
    }

    /// A thread blocked on a Unix stream socket is woken in `uds_wakeup` where the profile sets it;
    /// every other transport's, and the Unix socket's where it is unset, in `wakeup`. Processes
    /// pinned to two cores, 30 µs and 12 µs wake-ups, nothing else charged.
    @Test func aUnixStreamSocketHasItsOwnWakeUp() throws {
        func roundTrip(_ transport: String, udsWakeup: String?) throws -> Double {
            let own = udsWakeup.map { #", "uds_wakeup": "\#($0)""# } ?? ""
            let profile =
                #"{"base": "ideal", "overrides": {"wakeup": "30us", "socket_wait": "block", "shm_wait": "block"\#(own)}}"#
            let containers = #"[{ "name": "src", "cpuset": [0] }, { "name": "dst", "cpuset": [1] }]"#
            let flow =
                #"{ "from": "src", "to": "dst", "pattern": "rpc", "transport": "\#(transport)", "request": "64B", "response": "64B", "interval": "1ms" }"#
            let flows = try Fixtures.run(Self.onePod(cores: 2, containers: containers, flows: flow, profile: profile))
                .groupings[0].flows[0]
            return Double(flows.latency.valueAtPercentile(50)) / 1000
        }
        #expect(try abs(roundTrip("uds", udsWakeup: nil) - 60) < 0.01)
        #expect(try abs(roundTrip("uds", udsWakeup: "12us") - 24) < 0.01)
        for transport in ["uds-dgram", "pipe", "shm", "tcp"] {
            let rtt = try roundTrip(transport, udsWakeup: "12us")
            #expect(abs(rtt - 60) < 0.01, "\(transport): \(rtt) µs")
        }
    }

    /// docs/model.md's worked example, to the picosecond: a 64 B loopback TCP rpc in one pod under
    /// `linux-default` with its variability off. Each way: send 1 µs + 64 × 100 ps, stack
    /// transmit and receive 1.2 µs each, a context switch 1.5 µs (or, pinned apart, a wake-up
    /// 2.6 µs; polling, none), receive 1 µs + 64 × 100 ps.
    @Test func theWorkedExampleHolds() throws {
        func roundTrip(_ client: String, _ server: String) throws -> (Int64, Int64) {
            let profile = #"{"base": "linux-default", "overrides": {"variability": "off"}}"#
            let flow =
                #"{ "from": "src", "to": "dst", "pattern": "rpc", "request": "64B", "response": "64B", "callers": 1, "think": "1ms" }"#
            let latency = try Fixtures.run(
                Self.onePod(cores: 4, containers: "[\(client), \(server)]", flows: flow, profile: profile)
            ).groupings[0].flows[0].latency
            return (latency.minimumPicoseconds, latency.maximumPicoseconds)
        }
        let oneWay: Int64 = 1_006_400 + 1_200_000 + 1_200_000 + 1_006_400
        #expect(try roundTrip(#""src""#, #""dst""#) == (2 * (oneWay + 1_500_000), 2 * (oneWay + 1_500_000)))
        let apart = try roundTrip(#"{ "name": "src", "cpuset": [0] }"#, #"{ "name": "dst", "cpuset": [1] }"#)
        #expect(apart == (2 * (oneWay + 2_600_000), 2 * (oneWay + 2_600_000)))
        let polling = try roundTrip(#"{ "name": "src", "wait": "poll" }"#, #"{ "name": "dst", "wait": "poll" }"#)
        #expect(polling == (2 * oneWay, 2 * oneWay))
    }

    /// A reader on the writer's core finds the bytes in its own cache; one on another core pays
    /// `remote_copy_per_byte` more for each byte it reads, unless they came from memory anyway.
    /// 16 KiB each way through a pipe, 50 ps a byte per copy and 20 ps more to read remotely.
    @Test func readingOnAnotherCoreCostsTheRemoteCopy() throws {
        func roundTrip(_ client: String, _ server: String, cacheBytes: String = "2MiB") throws -> (Int64, Int64) {
            let profile = """
                {"base": "ideal", "overrides": {"socket_wait": "block", "pipe_copy_per_byte": "50ps",
                 "remote_copy_per_byte": "20ps", "cold_copy_per_byte": "70ps", "cache_bytes": "\(cacheBytes)"}}
                """
            let flow =
                #"{ "from": "src", "to": "dst", "pattern": "rpc", "transport": "pipe", "request": "16KiB", "response": "16KiB", "callers": 1, "think": "1ms" }"#
            let latency = try Fixtures.run(
                Self.onePod(cores: 2, containers: "[\(client), \(server)]", flows: flow, profile: profile)
            ).groupings[0].flows[0].latency
            return (latency.minimumPicoseconds, latency.maximumPicoseconds)
        }
        let copies: Int64 = 2 * 16_384 * 50
        let together = try roundTrip(#"{ "name": "src", "cpuset": [0] }"#, #"{ "name": "dst", "cpuset": [0] }"#)
        #expect(together == (2 * copies, 2 * copies))
        let apart = try roundTrip(#"{ "name": "src", "cpuset": [0] }"#, #"{ "name": "dst", "cpuset": [1] }"#)
        #expect(apart == (2 * (copies + 16_384 * 20), 2 * (copies + 16_384 * 20)))
        // Beyond the cache both sides' copies come from memory, wherever the reader runs.
        let cold = 2 * (copies + 2 * 16_384 * 70)
        let coldApart = try roundTrip(
            #"{ "name": "src", "cpuset": [0] }"#, #"{ "name": "dst", "cpuset": [1] }"#, cacheBytes: "4KiB")
        #expect(coldApart == (cold, cold))
    }

    /// Unpinned threads: a transport in `affine_wakeups` wakes its reader on the waker's core (a
    /// context switch each way), one left out wakes it on the other, idle core (an interrupt
    /// and an idle exit each way), as the host's scheduler does per kind of wake-up.
    @Test func affineWakeupsDecideWhereAnUnpinnedReaderRuns() throws {
        func roundTrip(_ transport: String, affine: String) throws -> Double {
            let profile =
                #"{"base": "ideal", "overrides": {"wakeup": "30us", "context_switch": "2us", "socket_wait": "block", "affine_wakeups": "\#(affine)"}}"#
            let flow =
                #"{ "from": "src", "to": "dst", "pattern": "rpc", "transport": "\#(transport)", "request": "64B", "response": "64B", "interval": "1ms" }"#
            let flows = try Fixtures.run(Self.onePod(cores: 2, flows: flow, profile: profile)).groupings[0].flows[0]
            return Double(flows.latency.valueAtPercentile(50)) / 1000
        }
        #expect(abs(try roundTrip("tcp", affine: "tcp, pipe") - 4) < 0.01)
        #expect(abs(try roundTrip("tcp", affine: "pipe") - 60) < 0.01)
        #expect(abs(try roundTrip("pipe", affine: "pipe") - 4) < 0.01)
        #expect(abs(try roundTrip("uds", affine: "none") - 60) < 0.01)
    }

    /// A polling thread burns its core: it shows in utilisation even when there is no traffic to read.
    @Test func pollingBurnsItsCore() throws {
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "shm", "size": "64B", "interval": "1ms" }"#
        let containers = #"["src", { "name": "dst", "wait": "poll" }]"#
        let blocking = #"{"base": "linux-default", "overrides": {"shm_wait": "block"}}"#
        let node = try Fixtures.run(Self.onePod(cores: 4, containers: containers, flows: flow, profile: blocking))
            .groupings[0].nodes[0]
        #expect(node.cpuUtilization >= 0.25 && node.cpuUtilization < 0.26, "CPU \(node.cpuUtilization)")
    }

    /// An overloaded UDP receiver drops at its socket's receive buffer and counts it: every
    /// offered message is delivered, lost or still queued, and the median stays put as the run grows.
    @Test func overloadedUDPReceiverDropsAtItsReceiveBuffer() throws {
        var medians: [UInt64] = []
        for duration in ["250ms", "1s"] {
            let flow =
                #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "1000B", "rate": "120000/s" }"#
            let text = Fixtures.twoNodes(flow: flow, duration: duration, nicRate: "10Gbps", profile: "ideal")
                .replacingOccurrences(
                    of: #""profile": "ideal""#,
                    with: #""profile": {"base": "ideal", "overrides": {"udp_receive": "10us"}}"#)
            let udp = try Fixtures.run(text).groupings[0].flows[0]
            let queued = udp.offeredMessages - udp.messages - udp.lostMessages
            #expect(udp.lostMessages > udp.offeredMessages / 10, "lost \(udp.lostMessages) of \(udp.offeredMessages)")
            #expect(udp.dropped == udp.lostMessages)
            // What a 208 KiB buffer holds of 1000 B datagrams (1768 B of socket memory each), plus one being read.
            #expect(queued >= 0 && queued <= 121, "\(queued) neither delivered nor lost")
            #expect(!udp.unstable)
            medians.append(udp.latency.valueAtPercentile(50))
        }
        #expect(medians[0] == medians[1], "p50 \(medians)")
    }

    /// A flow whose server cannot keep up (TCP holds every request) is flagged, with a warning.
    @Test func unstableFlowIsFlagged() throws {
        let flow =
            #"{ "name": "slow", "from": "src", "to": "dst", "pattern": "rpc", "request": "100B", "response": "100B", "rate": "2000/s", "server_time": "1ms" }"#
        let grouping = try Fixtures.run(Self.onePod(cores: 4, flows: flow)).groupings[0]
        #expect(grouping.flows[0].unstable)
        #expect(grouping.warnings.contains { $0.contains("\"slow\"") && $0.contains("backlog") })
    }

    /// A server whose one thread works 90% of the time is named as the limit, with the remedy;
    /// with eight threads the same load limits nothing. Thread busy time is measured, not assumed:
    /// 1800 calls/s × 500 µs = 90% of one thread.
    @Test func aSaturatedThreadIsNamedAsTheLimit() throws {
        let flow =
            #"{ "name": "calls", "from": "src", "to": "dst", "pattern": "rpc", "request": "100B", "response": "100B", "rate": "1800/s", "server_time": "500us" }"#
        func run(threads: Int) throws -> GroupingResult {
            let containers = #"["src", { "name": "dst", "threads": \#(threads) }]"#
            return try Fixtures.run(Self.onePod(cores: 8, containers: containers, flows: flow, duration: "1s"))
                .groupings[0]
        }
        let one = try run(threads: 1)
        let server = try #require(one.containers.first { $0.name == "dst" })
        #expect(server.threads == 1)
        #expect(server.threadUtilization > 0.88 && server.threadUtilization < 0.97, "\(server.threadUtilization)")
        let limit = try #require(one.limits.first { $0.kind == .threads })
        #expect(limit.name == "dst")
        #expect(limit.description.contains("give it more \"threads\""))
        let eight = try run(threads: 8)
        #expect(eight.limits.isEmpty, "\(eight.limits.map(\.description))")
        #expect(try #require(eight.containers.first { $0.name == "dst" }).threadUtilization < 0.2)
    }

    /// An overloaded open-loop flow cannot grow the run's memory without bound: past
    /// `backlog_limit` messages in flight its arrivals are refused, counted as lost, and the
    /// warning says from when.
    @Test func anOverloadedFlowStopsAtTheBacklogLimit() throws {
        let flow =
            #"{ "name": "flood", "from": "src", "to": "dst", "pattern": "oneway", "size": "1KiB", "rate": "10000000/s" }"#
        var text = Self.onePod(cores: 2, flows: flow, duration: "50ms")
        text = text.replacingOccurrences(of: #""name": "pod","#, with: #""name": "pod", "backlog_limit": 2000,"#)
        let topology = try Fixtures.topology(text)
        #expect(topology.backlogLimit == 2000)
        let grouping = try Fixtures.run(text).groupings[0]
        let result = grouping.flows[0]
        #expect(result.lostMessages > 100_000, "\(result.lostMessages)")
        #expect(result.offeredMessages - result.messages - result.lostMessages <= 2000)
        #expect(grouping.warnings.contains { $0.contains("backlog_limit") && $0.contains("\"flood\"") })
        #expect(throws: SpecError.self) {
            try Fixtures.topology(
                text.replacingOccurrences(of: #""backlog_limit": 2000"#, with: #""backlog_limit": 5"#))
        }
    }

    /// Every replica of a pod on one node of two is an availability risk, and the run says so.
    @Test func replicasStackedOnOneNodeAreWarnedAbout() throws {
        let flow = #"{ "from": "src", "to": "dst", "pattern": "oneway", "size": "100B", "rate": "100/s" }"#
        let stacked = Fixtures.twoNodes(flow: flow, duration: "20ms", warmup: "1ms").replacingOccurrences(
            of: #"{ "containers": ["dst"], "node": "b" }"#, with: #"{ "containers": ["dst"], "nodes": ["b", "b"] }"#)
        #expect(stacked.contains(#""nodes": ["b", "b"]"#))
        let warnings = try Fixtures.run(stacked).groupings[0].warnings
        #expect(warnings.contains { $0.contains("runs all 2 replicas on node \"b\"") }, "\(warnings)")
        let spread = stacked.replacingOccurrences(of: #""nodes": ["b", "b"]"#, with: #""nodes": ["a", "b"]"#)
        #expect(!(try Fixtures.run(spread).groupings[0].warnings.contains { $0.contains("replicas on node") }))
    }

    /// A pipe's writer blocks when the pipe is full: a message larger than the pipe still goes
    /// through (in pieces), and more than the pipe carries piles up in the writer, flagged unstable.
    @Test func pipeWriterBlocksAtCapacity() throws {
        let large =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "pipe", "size": "1MiB", "interval": "1ms" }"#
        let once = try Fixtures.run(Self.onePod(cores: 4, flows: large)).groupings[0].flows[0]
        #expect(once.messages >= 89 && once.lostMessages == 0)
        let flood =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "pipe", "size": "16KiB", "rate": "1000000/s" }"#
        let pipe = try Fixtures.run(Self.onePod(cores: 4, flows: flood)).groupings[0].flows[0]
        #expect(pipe.lostMessages == 0 && pipe.dropped == 0)
        #expect(pipe.unstable, "131 Gb/s offered; a write of 16 KiB takes its thread 1.5 µs: the backlog grows")
    }

    /// A UDP writer whose own sending stack cannot keep up sleeps at its socket's send buffer, as
    /// a blocking socket does on Linux: the datagrams waiting in the sending stack hold at most
    /// `udp_send_buffer` of socket memory (plus the datagram that crossed it), and the rest of the
    /// offered load waits in the writer, where the backlog shows it. Before, the stack's queue grew
    /// without bound. Across nodes the buffer is free once a datagram crossed its pod's veth, so
    /// a NIC that cannot keep up drops at its queue, counted.
    @Test func udpWriterBlocksAtItsSendBuffer() throws {
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "1000B", "rate": "100000/s" }"#
        let profile = #"{"base": "linux-default", "overrides": {"udp_stack_transmit": "20us"}}"#
        let twoPods = Self.onePod(cores: 4, flows: flow, duration: "50ms", profile: profile).replacingOccurrences(
            of: #"[ { "name": "p", "containers": ["src", "dst"], "node": "a" } ]"#,
            with: #"[ { "containers": ["src"], "node": "a" }, { "containers": ["dst"], "node": "a" } ]"#)
        let topology = try Fixtures.topology(twoPods)
        var run = GroupingRun(topology: topology, grouping: 0, profile: Self.profile(of: topology), seed: 1)
        var simulation = Simulation<DefaultEventQueue>(expectedPendingEvents: 4096)
        run.start(&simulation)
        _ = simulation.run(until: .zero + .milliseconds(40), handler: &run)
        let memory: Int64 = 1000 + 28 + Headers.socketBufferOverhead
        #expect(run.connections[0].sendBuffer == 212_992)
        #expect(run.halves[0].bufferedBytes > 212_992 - memory && run.halves[0].bufferedBytes < 212_992 + memory)
        // 40 ms × 100 k/s offered, about 2,000 sent (20 µs each): the rest wait in the writer.
        #expect(run.queues(ofHalf: 0).blockedWrites.count > 1_500, "\(run.queues(ofHalf: 0).blockedWrites.count)")
        let stackQueue = run.lanes[Int(run.connections[0].laneBase)].waiting.count
        #expect(stackQueue <= 212_992 / Int(memory) + 1, "\(stackQueue) datagrams wait in the sending stack")

        // A smaller buffer (the flow's send_buffer) holds fewer.
        let small = try Fixtures.topology(
            twoPods.replacingOccurrences(
                of: #""rate": "100000/s""#, with: #""rate": "100000/s", "send_buffer": "16KiB""#))
        var smallRun = GroupingRun(topology: small, grouping: 0, profile: Self.profile(of: small), seed: 1)
        var smallSimulation = Simulation<DefaultEventQueue>(expectedPendingEvents: 4096)
        smallRun.start(&smallSimulation)
        _ = smallSimulation.run(until: .zero + .milliseconds(40), handler: &smallRun)
        #expect(smallRun.halves[0].bufferedBytes < 16_384 + memory)

        // Across nodes, a 100 Mb/s NIC behind a sender that offers 800 Mb/s: the NIC's queue drops.
        let crossFlow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "1000B", "rate": "100000/s" }"#
        let cross = Fixtures.twoNodes(
            flow: crossFlow, duration: "30ms", warmup: "5ms", nicRate: "100Mbps", buffer: "64KiB",
            profile: "linux-default")
        let udp = try #require(try Fixtures.run(cross).groupings.first?.flows.first)
        // The sending stack passes about 59,000 datagrams a second (17 µs each), the NIC about
        // 11,700: most of what passes is dropped at the NIC's queue. Had the writer slept until
        // the NIC sent its datagrams, the queue would never have overrun.
        #expect(
            udp.dropped > udp.offeredMessages / 3 && udp.lostMessages > 0,
            "dropped \(udp.dropped) of \(udp.offeredMessages)")
    }

    static func profile(of topology: Topology) -> CostProfile {
        ProfileReader.builtIn(topology.profileName, overrides: topology.profileOverrides)!
    }

    /// Each transport copies at its own rate per byte.
    @Test func copyCostsArePerTransport() throws {
        func latency(_ transport: String) throws -> Int64 {
            let profile =
                #"{"base": "ideal", "overrides": {"copy_per_byte": "1ns", "uds_copy_per_byte": "2ns", "pipe_copy_per_byte": "3ns", "shm_copy_per_byte": "4ns"}}"#
            let flow =
                #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "\#(transport)", "size": "1000B", "interval": "1ms" }"#
            return try Fixtures.run(Self.onePod(cores: 4, flows: flow, profile: profile)).groupings[0].flows[0].latency
                .maximumPicoseconds
        }
        // A send copy and a receive copy of 1000 B each.
        #expect(try latency("tcp") == 2_000_000)
        #expect(try latency("udp") == 2_000_000)
        #expect(try latency("uds") == 4_000_000)
        #expect(try latency("uds-dgram") == 4_000_000)
        #expect(try latency("pipe") == 6_000_000)
        #expect(try latency("shm") == 8_000_000)
    }

    /// A UDP message above the MTU travels as IP fragments with one UDP header: 4000 B is 1480 +
    /// 1480 + 1048 bytes of IP payload, three frames; unloaded, its latency is exactly their
    /// serialisation at the sender's NIC, the last one's at the switch port, and two propagations.
    @Test func largeUDPMessagesTravelAsFragments() throws {
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "4000B", "interval": "1ms" }"#
        let result = try Fixtures.run(
            Fixtures.twoNodes(
                flow: flow, duration: "50ms", nicRate: "10Gbps", receiverNICRate: "25Gbps", fabricRate: "25Gbps",
                latency: "3us"))
        let udp = try #require(result.groupings.first?.flows.first)
        let frames: [Int64] = [1500 + 38, 1500 + 38, 1068 + 38]
        let nic = BitRate(bitsPerSecond: 10_000_000_000), port = BitRate(bitsPerSecond: 25_000_000_000)
        let expected =
            frames.reduce(SimDuration.zero) { $0 + nic.serializationTime(of: $1) }
            + port.serializationTime(of: frames[2]) + .microseconds(6)
        #expect(udp.latency.minimumPicoseconds == expected.picoseconds)
        #expect(udp.latency.maximumPicoseconds == expected.picoseconds)
    }

    /// A 1 Gb/s NIC behind a 10 Gb/s fabric receives at 1 Gb/s.
    @Test func receivingNICLimitsTheLink() throws {
        let flow = #"{ "from": "src", "to": "dst", "pattern": "stream" }"#
        let result = try Fixtures.run(
            Fixtures.twoNodes(
                flow: flow, duration: "200ms", nicRate: "10Gbps", receiverNICRate: "1Gbps", fabricRate: "10Gbps",
                buffer: "1MiB"))
        let stream = try #require(result.groupings.first?.flows.first)
        #expect(
            stream.throughputBitsPerSecond < 0.95e9 && stream.throughputBitsPerSecond > 0.85e9,
            "\(stream.throughputBitsPerSecond)")
    }

    /// `ideal` charges no overlay CPU: a VXLAN path's unloaded latency is its serialisations
    /// (with 50 B more per frame) and propagations, exactly.
    @Test func idealChargesNoOverlayCPU() throws {
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "1000B", "interval": "1ms" }"#
        let text = Fixtures.twoNodes(
            flow: flow, duration: "50ms", nicRate: "10Gbps", fabricRate: "10Gbps", latency: "3us"
        )
        .replacingOccurrences(of: #""mtu": "1500B","#, with: #""mtu": "1500B", "overlay": "vxlan","#)
        let udp = try #require(try Fixtures.run(text).groupings.first?.flows.first)
        let frame: Int64 = 1000 + 28 + 50 + 38
        let expected = BitRate(bitsPerSecond: 10_000_000_000).serializationTime(of: frame) * 2 + .microseconds(6)
        #expect(udp.latency.maximumPicoseconds == expected.picoseconds)
    }

    /// A receiving kernel stage that cannot keep up drops what finds its backlog full, and counts it.
    @Test func fullBacklogDropsAndCounts() throws {
        let flow =
            #"{ "from": "src", "to": "dst", "pattern": "oneway", "transport": "udp", "size": "64B", "rate": "400000/s" }"#
        let profile =
            #"{"base": "ideal", "overrides": {"udp_stack_receive": "5us", "backlog_packets": 100, "udp_receive_buffer": "64MiB"}}"#
        let text = Self.onePod(cores: 4, flows: flow, profile: profile)
        let udp = try Fixtures.run(text).groupings[0].flows[0]
        // The stage serves 200 k/s of the 400 k/s offered.
        #expect(
            udp.dropped > udp.offeredMessages / 3 && udp.dropped == udp.lostMessages,
            "dropped \(udp.dropped) of \(udp.offeredMessages)")
        #expect(
            udp.latency.valueAtPercentile(50) <= 510_000,
            "100 waiting × 5 µs bounds the wait: p50 \(udp.latency.valueAtPercentile(50)) ns")
    }

    /// Callers that neither think nor wait for a server, on a path that costs nothing (one node
    /// under `ideal`), would call without end at one instant: the flow is left out with a
    /// warning, and the run ends (it used to hang).
    @Test func costlessClosedLoopIsRefusedNotHung() throws {
        let flow =
            #"{ "name": "spin", "from": "src", "to": "dst", "pattern": "rpc", "request": "64B", "response": "64B", "callers": 1 }"#
        let twoPods = Self.onePod(cores: 2, flows: flow, profile: #""ideal""#).replacingOccurrences(
            of: #"[ { "name": "p", "containers": ["src", "dst"], "node": "a" } ]"#,
            with: #"[ { "containers": ["src"], "node": "a" }, { "containers": ["dst"], "node": "a" } ]"#)
        let grouping = try Fixtures.run(twoPods).groupings[0]
        #expect(grouping.flows[0].messages == 0)
        #expect(grouping.warnings.contains { $0.contains("flow spin: its calls cost nothing") }, "\(grouping.warnings)")
    }
}
