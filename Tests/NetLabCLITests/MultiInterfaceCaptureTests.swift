import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Captures taken on a node, as users take them: `tcpdump -i any` and `dumpcap` on both bridge
/// ports see every pod-to-pod packet twice. Made here in network namespaces (a bridge and two
/// pods, addresses in 198.18.0.0/15), with TCP request/response and UDP traffic between the pods.
@Suite(.serialized) struct MultiInterfaceCaptureTests {
    static func has(_ tool: String) -> Bool {
        (try? runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["sh", "-c", "command -v \(tool)"]))?.status == 0
    }

    static let missing: String? = {
        guard CalibrateCommandTests.canMakeNamespaces else { return "needs root and network namespaces" }
        for tool in ["tcpdump", "dumpcap", "tshark", "python3"] where !has(tool) { return "needs \(tool)" }
        return nil
    }()

    /// The three captures of one exchange: on pod a's bridge port only, on every interface of
    /// the node (`-i any`), and on both ports into one pcapng.
    struct Captures {
        let folder: URL
        var single: String { folder.appendingPathComponent("single.pcap").path }
        var any: String { folder.appendingPathComponent("any.pcap").path }
        var multi: String { folder.appendingPathComponent("multi.pcapng").path }
        /// The interface index of pod a's bridge port, as `ip -o link` printed it.
        var portIndex: String {
            ((try? String(contentsOf: folder.appendingPathComponent("pa.index"), encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    static func sh(_ script: String) throws -> CommandResult {
        try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", script])
    }

    static let traffic = """
        import socket, sys, time
        if sys.argv[1] == "server":
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("198.18.7.2", 8080)); s.listen(); c, _ = s.accept()
            while True:
                d = c.recv(65536)
                if not d: break
                c.sendall(b"R" * 3000)
        else:
            c = socket.create_connection(("198.18.7.2", 8080)); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for i in range(20):
                c.sendall(b"Q" * 200); got = 0
                while got < 3000: got += len(c.recv(65536))
                time.sleep(0.01)
            c.close()
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for i in range(10): u.sendto(b"U" * 100, ("198.18.7.2", 9999)); time.sleep(0.005)
        """

    static func capture() throws -> Captures {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netlab-multi-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let captures = Captures(folder: folder)
        let script = folder.appendingPathComponent("traffic.py").path
        try traffic.write(toFile: script, atomically: true, encoding: .utf8)
        let n = "nlmi\(getpid())"
        let setup = """
            set -e
            ip netns add \(n)-br; ip netns add \(n)-a; ip netns add \(n)-b
            ip -n \(n)-br link add br0 type bridge; ip -n \(n)-br link set br0 up
            for x in a b; do
              ip link add \(n)v$x type veth peer name \(n)p$x
              ip link set \(n)v$x netns \(n)-$x; ip link set \(n)p$x netns \(n)-br
              ip -n \(n)-br link set \(n)p$x name p$x; ip -n \(n)-br link set p$x master br0; ip -n \(n)-br link set p$x up
              ip -n \(n)-$x link set \(n)v$x name eth0; ip -n \(n)-$x link set eth0 up; ip -n \(n)-$x link set lo up
            done
            ip -n \(n)-a addr add 198.18.7.1/24 dev eth0
            ip -n \(n)-b addr add 198.18.7.2/24 dev eth0
            cd \(folder.path)
            ip -n \(n)-br -o link show pa | cut -d: -f1 > pa.index
            ip netns exec \(n)-br tcpdump -i pa -U -w single.pcap 2>/dev/null & P1=$!
            ip netns exec \(n)-br tcpdump -i any -U -w any.pcap 2>/dev/null & P2=$!
            ip netns exec \(n)-br dumpcap -q -i pa -i pb -w multi.pcapng 2>/dev/null & P3=$!
            # The captures are running once their files exist; then a margin for a loaded machine.
            for i in $(seq 100); do [ -s single.pcap ] && [ -s any.pcap ] && [ -s multi.pcapng ] && break; sleep 0.1; done
            sleep 1
            ip netns exec \(n)-b python3 \(script) server & S=$!
            sleep 0.5
            ip netns exec \(n)-a python3 \(script) client
            sleep 2
            kill $S 2>/dev/null || true
            kill -INT $P1 $P2 $P3; wait $P1 $P2 $P3 || true
            """
        let result = try sh(setup)
        _ = try sh("ip netns del \(n)-a; ip netns del \(n)-b; ip netns del \(n)-br")
        #expect(result.status == 0, "\(result.standardError)")
        return captures
    }

    /// tshark's TCP and UDP conversation tables: (endpoints, packets, bytes) per line.
    static func tsharkConversations(_ file: String) throws -> Set<String> {
        let result = try runProgram(
            URL(fileURLWithPath: "/usr/bin/env"), ["tshark", "-r", file, "-q", "-z", "conv,tcp", "-z", "conv,udp"])
        var rows: Set<String> = []
        for line in result.standardOutput.split(separator: "\n") where line.contains("<->") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // a <-> b, then b→a frames and bytes (with unit), a→b ..., total frames and bytes.
            guard fields.count >= 10 else { continue }
            let ends = [String(fields[0]), String(fields[2])].sorted()
            rows.insert("\(ends[0]) \(ends[1]) \(fields[9])")
        }
        return rows
    }

    static func inspect(_ file: String, _ options: [String] = []) throws -> [[String: Any]] {
        let result = try NetlabBinary.run(["inspect", file, "--format", "json"] + options)
        #expect(result.status == 0, "\(result.standardError)")
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        return try #require(root["conversations"] as? [[String: Any]])
    }

    @Test(.enabled(if: missing == nil, "\(missing ?? "")"))
    func captureCopiesCountAsTsharkAndReplayOnce() throws {
        let captures = try Self.capture()
        defer { try? FileManager.default.removeItem(at: captures.folder) }
        let single = try Self.inspect(captures.single)
        for file in [captures.any, captures.multi] {
            let conversations = try Self.inspect(file)
            // Packets per conversation as tshark counts them: copies included.
            let ours = Set(
                conversations.map { c -> String in
                    let ends = [c["a"] as! String, c["b"] as! String].sorted()
                    return "\(ends[0]) \(ends[1]) \(c["packets"] as! Int)"
                })
            #expect(ours == (try Self.tsharkConversations(file)), "\(file)")
            // Messages and payload once, as on a single capture point.
            for c in conversations {
                let twin = try #require(single.first { $0["a"] as? String == c["a"] as? String })
                #expect(c["packets"] as? Int == 2 * (twin["packets"] as! Int), "\(file): \(c["a"]!)")
                for key in ["a_to_b_messages", "b_to_a_messages", "a_to_b_payload", "b_to_a_payload"] {
                    #expect(c[key] as? Int == twin[key] as? Int, "\(file): \(key)")
                }
            }
        }
        // One capture point of the node-wide captures is the single capture: pod a's bridge port by
        // name in the pcapng, by index in the tcpdump -i any capture.
        #expect(!captures.portIndex.isEmpty)
        func counts(_ conversations: [[String: Any]]) -> [String] {
            conversations.map { c in
                ["a", "b", "packets", "a_to_b_payload", "b_to_a_payload", "a_to_b_messages", "b_to_a_messages"]
                    .map { "\(c[$0] ?? "-")" }.joined(separator: " ")
            }
        }
        let onePoint = counts(single)
        #expect(counts(try Self.inspect(captures.multi, ["--interface", "pa"])) == onePoint)
        #expect(counts(try Self.inspect(captures.any, ["--interface", captures.portIndex])) == onePoint)

        // Replay sends each message once: the same exchanges as from the single capture point.
        let map = captures.folder.appendingPathComponent("map.json").path
        try
            #"{ "endpoints": [ { "match": "198.18.7.1", "container": "client" }, { "match": "198.18.7.2", "container": "web" } ] }"#
            .write(toFile: map, atomically: true, encoding: .utf8)
        func replayed(_ trace: String, _ options: [String] = []) throws -> [Int] {
            let result = try NetlabBinary.run(
                [
                    "replay", trace, "--map", map, "--topology", ReplayCommandTests.topology, "--mode", "causal",
                    "--grouping", "cross-node", "--format", "json",
                ] + options)
            #expect(result.status == 0, "\(result.standardError)")
            let root = try #require(
                try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            // The replayed capture point is in the output (null for the whole capture).
            #expect(root["interface"] as? String == (options.first == "--interface" ? options.last : nil))
            let flows = try #require((root["groupings"] as? [[String: Any]])?.first?["flows"] as? [[String: Any]])
            return flows.map { $0["messages"] as? Int ?? -1 }
        }
        let once = try replayed(captures.single)
        #expect(once.allSatisfy { $0 > 0 })
        #expect(try replayed(captures.any) == once)
        #expect(try replayed(captures.multi) == once)
        #expect(try replayed(captures.multi, ["--interface", "pb"]) == once)
        #expect(try replayed(captures.any, ["--interface", captures.portIndex]) == once)
    }
}
