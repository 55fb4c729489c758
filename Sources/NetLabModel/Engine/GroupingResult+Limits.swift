import NetLabCore

extension GroupingResult {
    /// A resource busy enough that work queues for it, which therefore sets the latency of
    /// what passes through it.
    public struct Limit: Sendable {
        public enum Kind: String, Sendable {
            case threads, cores, core, link
        }
        public var kind: Kind
        /// The container, node or link.
        public var name: String
        /// Its busy share in the measured time (threads: of the busiest replica).
        public var utilization: Double
        /// The limit in words, with the remedy.
        public var description: String
        /// "container backend (1 thread busy 100%)": the limit in a few words.
        public var summary: String
    }

    /// The containers, nodes and links busy at least ``saturation`` of the measured time.
    func saturatedResources() -> [Limit] {
        var limits: [Limit] = []
        for container in containers where container.threadUtilization >= Self.saturation {
            let busy = percent(container.threadUtilization)
            let threads = container.threads == 1 ? "1 thread" : "\(container.threads) threads"
            limits.append(
                Limit(
                    kind: .threads, name: container.name, utilization: container.threadUtilization,
                    description:
                        "container \"\(container.name)\": its \(threads) \(container.threads == 1 ? "is" : "are") busy \(busy) (busiest replica): its latency is queueing for a thread; give it more \"threads\"",
                    summary: "container \(container.name) (\(threads) busy \(busy))"))
        }
        for node in nodes where node.cpuUtilization >= Self.saturation {
            let busy = percent(node.cpuUtilization)
            limits.append(
                Limit(
                    kind: .cores, name: node.name, utilization: node.cpuUtilization,
                    description:
                        "node \"\(node.name)\": its cores are busy \(busy): work queues for a core; give it more cores or move pods off it",
                    summary: "node \(node.name) (cores busy \(busy))"))
        }
        for node in nodes
        where node.cpuUtilization < Self.saturation && node.busiestCoreUtilization >= Self.saturation {
            let busy = percent(node.busiestCoreUtilization)
            limits.append(
                Limit(
                    kind: .core, name: node.name, utilization: node.busiestCoreUtilization,
                    description:
                        "node \"\(node.name)\": one core is busy \(busy) while the node's cores are \(percent(node.cpuUtilization)) busy: work bound to that core (threads woken where their writer ran, kernel work of one connection) queues there; pin the containers to different cores (\"cpuset\") or spread them over nodes",
                    summary: "a hot core on node \(node.name) (busy \(busy))"))
        }
        for link in links where link.utilization >= Self.saturation {
            let busy = percent(link.utilization)
            limits.append(
                Limit(
                    kind: .link, name: link.name, utilization: link.utilization,
                    description: link.name.hasSuffix("/nic-tbf")
                        ? "link \"\(link.name)\": busy \(busy): the node's NIC shaper holds its traffic back; raise its \"shaping\" rate or move traffic off the node"
                        : link.name.hasSuffix("-tbf")
                            ? "link \"\(link.name)\": busy \(busy): the pod's bandwidth limit holds its traffic back; raise the container's \"bandwidth\" or send less"
                            : "link \"\(link.name)\": busy \(busy): packets queue for it; give it a faster rate or less traffic",
                    summary: "link \(link.name) (busy \(busy))"))
        }
        return limits
    }

    private func percent(_ share: Double) -> String { FigureText.percent(min(share, 1), decimals: 0) }
}
