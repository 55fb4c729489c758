import Foundation
import NetLabModel

/// The network namespaces calibration measures between, made with `ip` and deleted again:
/// two "pods" joined to a Linux bridge through veth pairs (in a third namespace standing for the
/// node); and two "nodes" joined by a veth pair as a bridge CNI joins them: a pod on each node's
/// bridge, each node forwarding between its bridge and the pair, routed, and over VXLAN. Every name starts
/// with `nlcal-` and the process id; every address is in 198.18.0.0/15 (RFC 2544 benchmarking).
public final class CalibrationNamespaces: @unchecked Sendable {
    public struct Ends: Sendable {
        var clientNamespace: String
        var serverNamespace: String
        var serverAddress: String
    }

    let prefix: String
    private(set) var created: [String] = []
    /// Paths this host could set up, and why the others could not be.
    public private(set) var available: Set<CalibrationCase.Path> = [.inPod]
    public private(set) var unavailable: [(CalibrationCase.Path, String)] = []

    /// Sets up what this host allows (nothing unless `creating`); never throws: what fails is
    /// reported in `unavailable`.
    public init(creating: Bool = true) {
        prefix = "nlcal-\(getpid())"
        guard creating else { return }
        guard getuid() == 0 else {
            for path in CalibrationCase.Path.allCases where path.needsNamespaces {
                unavailable.append((path, "network namespaces need root; run as root to measure it"))
            }
            return
        }
        guard Self.run(["ip", "-V"]) == nil else {
            for path in CalibrationCase.Path.allCases where path.needsNamespaces {
                unavailable.append((path, "the 'ip' command (iproute2) is missing; install iproute2"))
            }
            return
        }
        let node = "\(prefix)-node", podA = "\(prefix)-pa", podB = "\(prefix)-pb"
        let bridge = setUp(
            [
                ["netns", "add", node], ["netns", "add", podA], ["netns", "add", podB],
                ["-n", node, "link", "add", "br0", "type", "bridge"],
                ["-n", node, "link", "set", "br0", "up"],
                ["-n", node, "link", "add", "va", "type", "veth", "peer", "name", "eth0", "netns", podA],
                ["-n", node, "link", "add", "vb", "type", "veth", "peer", "name", "eth0", "netns", podB],
                ["-n", node, "link", "set", "va", "master", "br0", "up"],
                ["-n", node, "link", "set", "vb", "master", "br0", "up"],
                ["-n", podA, "addr", "add", "198.18.0.1/24", "dev", "eth0"], ["-n", podA, "link", "set", "eth0", "up"],
                ["-n", podA, "link", "set", "lo", "up"],
                ["-n", podB, "addr", "add", "198.18.0.2/24", "dev", "eth0"], ["-n", podB, "link", "set", "eth0", "up"],
                ["-n", podB, "link", "set", "lo", "up"],
            ], names: [node, podA, podB])
        record(.bridge, bridge)
        let nodeA = "\(prefix)-na", nodeB = "\(prefix)-nb"
        let routedPods = ("\(prefix)-ra", "\(prefix)-rb"), overlayPods = ("\(prefix)-xa", "\(prefix)-xb")
        // Two nodes as a bridge CNI joins them: each pod's veth on its node's bridge, the nodes'
        // "wire" a veth pair between them, and each node forwarding between bridge and wire.
        var commands: [[String]] = [
            ["netns", "add", nodeA], ["netns", "add", nodeB],
            ["-n", nodeA, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", nodeB],
            ["-n", nodeA, "addr", "add", "198.18.1.1/24", "dev", "eth0"], ["-n", nodeA, "link", "set", "eth0", "up"],
            ["-n", nodeA, "link", "set", "lo", "up"],
            ["-n", nodeB, "addr", "add", "198.18.1.2/24", "dev", "eth0"], ["-n", nodeB, "link", "set", "eth0", "up"],
            ["-n", nodeB, "link", "set", "lo", "up"],
        ]
        commands += Self.podOnBridge(routedPods.0, node: nodeA, bridge: "br0", subnet: "198.18.3")
        commands += Self.podOnBridge(routedPods.1, node: nodeB, bridge: "br0", subnet: "198.18.4")
        commands += [
            ["-n", nodeA, "route", "add", "198.18.4.0/24", "via", "198.18.1.2", "dev", "eth0"],
            ["-n", nodeB, "route", "add", "198.18.3.0/24", "via", "198.18.1.1", "dev", "eth0"],
        ]
        let routed = setUp(
            commands, names: [nodeA, nodeB, routedPods.0, routedPods.1],
            forwarding: [nodeA, nodeB])
        record(.routed, routed)
        guard routed == nil else {
            unavailable.append((.vxlan, "needs the routed nodes, which could not be set up"))
            return
        }
        var overlay: [[String]] = [
            [
                "-n", nodeA, "link", "add", "vx0", "type", "vxlan", "id", "42", "local", "198.18.1.1", "remote",
                "198.18.1.2", "dstport", "4789", "dev", "eth0",
            ],
            [
                "-n", nodeB, "link", "add", "vx0", "type", "vxlan", "id", "42", "local", "198.18.1.2", "remote",
                "198.18.1.1", "dstport", "4789", "dev", "eth0",
            ],
            ["-n", nodeA, "addr", "add", "198.18.2.1/24", "dev", "vx0"], ["-n", nodeA, "link", "set", "vx0", "up"],
            ["-n", nodeB, "addr", "add", "198.18.2.2/24", "dev", "vx0"], ["-n", nodeB, "link", "set", "vx0", "up"],
        ]
        overlay += Self.podOnBridge(overlayPods.0, node: nodeA, bridge: "br1", subnet: "198.18.5")
        overlay += Self.podOnBridge(overlayPods.1, node: nodeB, bridge: "br1", subnet: "198.18.6")
        overlay += [
            ["-n", nodeA, "route", "add", "198.18.6.0/24", "via", "198.18.2.2", "dev", "vx0"],
            ["-n", nodeB, "route", "add", "198.18.5.0/24", "via", "198.18.2.1", "dev", "vx0"],
        ]
        record(.vxlan, setUp(overlay, names: [overlayPods.0, overlayPods.1]))
    }

    /// A pod namespace whose eth0 is a veth on `bridge` of `node`; the bridge is its gateway
    /// (`subnet`.1, the pod `subnet`.2).
    static func podOnBridge(_ pod: String, node: String, bridge: String, subnet: String) -> [[String]] {
        [
            ["netns", "add", pod],
            ["-n", node, "link", "add", bridge, "type", "bridge"],
            ["-n", node, "addr", "add", "\(subnet).1/24", "dev", bridge], ["-n", node, "link", "set", bridge, "up"],
            ["-n", node, "link", "add", "v\(bridge)", "type", "veth", "peer", "name", "eth0", "netns", pod],
            ["-n", node, "link", "set", "v\(bridge)", "master", bridge, "up"],
            ["-n", pod, "addr", "add", "\(subnet).2/24", "dev", "eth0"], ["-n", pod, "link", "set", "eth0", "up"],
            ["-n", pod, "link", "set", "lo", "up"],
            ["-n", pod, "route", "add", "default", "via", "\(subnet).1"],
        ]
    }

    deinit { tearDown() }

    /// Where client and server run for `path`, or nil for one pod (this namespace, loopback).
    func ends(for path: CalibrationCase.Path) -> Ends? {
        guard let names = namespaceNames(of: path) else { return nil }
        let address =
            switch path {
            case .inPod, .bridge: "198.18.0.2"
            case .routed: "198.18.4.2"
            case .vxlan: "198.18.6.2"
            }
        return Ends(
            clientNamespace: "/var/run/netns/\(names.client)", serverNamespace: "/var/run/netns/\(names.server)",
            serverAddress: address)
    }

    /// The client's and the server's namespace for `path`, or nil for one pod.
    private func namespaceNames(of path: CalibrationCase.Path) -> (client: String, server: String)? {
        switch path {
        case .inPod: nil
        case .bridge: ("\(prefix)-pa", "\(prefix)-pb")
        case .routed: ("\(prefix)-ra", "\(prefix)-rb")
        case .vxlan: ("\(prefix)-xa", "\(prefix)-xb")
        }
    }

    /// Puts `shaper` on the client's interface of `path`, out of it, with `tc qdisc replace … tbf`
    /// (nil takes it off again); nil on success, else why it could not.
    func shapeClient(of path: CalibrationCase.Path, with shaper: TokenBucket?) -> String? {
        guard let names = namespaceNames(of: path) else {
            return "a token bucket needs the pod's interface; one pod talks over loopback"
        }
        let command = ["ip", "netns", "exec", names.client, "tc", "qdisc"]
        guard let shaper else { return Self.run(command + ["del", "dev", "eth0", "root"]) }
        let failure = Self.run(
            command + [
                "replace", "dev", "eth0", "root", "tbf", "rate", "\(shaper.rate.bitsPerSecond)bit", "burst",
                "\(shaper.burst.bytes)b", "limit", "\(shaper.limit.bytes)b",
            ])
        return failure.map { "'tc qdisc replace dev eth0 root tbf' failed: \($0)" }
    }

    /// Deletes every namespace made (their links go with them). Safe to call more than once.
    /// Deletes the namespaces an earlier calibration left behind when it was killed (SIGKILL, a
    /// crash): named `nlcal-<pid>-…` for a process that no longer runs. Returns their names.
    /// Namespaces of a calibration still running are left alone.
    public static func removeStale() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        var removed: [String] = []
        for name in names.sorted() where name.hasPrefix("nlcal-") {
            let digits = name.dropFirst("nlcal-".count).prefix { $0.isASCII && $0.isNumber }
            guard let pid = Int32(digits), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            if run(["ip", "netns", "del", name]) == nil { removed.append(name) }
        }
        return removed
    }

    public func tearDown() {
        for name in created.reversed() { _ = Self.run(["ip", "netns", "del", name]) }
        created.removeAll()
    }

    /// The namespaces made so far, for checks that nothing is left behind.
    public var namespaceNames: [String] { created }

    private func record(_ path: CalibrationCase.Path, _ failure: String?) {
        if let failure { unavailable.append((path, failure)) } else { available.insert(path) }
    }

    /// Runs `ip` with each argument list in turn, then turns IPv4 forwarding on in the
    /// `forwarding` namespaces; on the first failure deletes `names` and says why.
    private func setUp(_ commands: [[String]], names: [String], forwarding: [String] = []) -> String? {
        let all = commands + forwarding.map { ["netns", "exec", $0, "sysctl", "-qw", "net.ipv4.ip_forward=1"] }
        for arguments in all {
            if arguments.first == "netns", arguments.dropFirst().first == "add", let name = arguments.last {
                created.append(name)
            }
            if let failure = Self.run(["ip"] + arguments) {
                for name in names where created.contains(name) {
                    _ = Self.run(["ip", "netns", "del", name])
                    created.removeAll { $0 == name }
                }
                return "'ip \(arguments.joined(separator: " "))' failed: \(failure)"
            }
        }
        return nil
    }

    /// Runs a command; nil on success, else its first line of error output.
    static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { return "\(error)" }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus != 0 else { return nil }
        let text = String(decoding: output, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? "exit status \(process.terminationStatus)" : text
    }
}
