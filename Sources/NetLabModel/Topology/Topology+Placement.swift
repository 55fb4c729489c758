/// Why a set of pods cannot run as placed, and what would fix it.
public struct PlacementProblem: Error, Sendable, Equatable {
    public var problem: String
    public var fix: String
}

extension Cluster {
    /// What the Kubernetes scheduler (and the host) would refuse about `pods` of grouping
    /// `grouping`: CPU requests beyond a node's cores, cores pinned that the node lacks, more
    /// polling threads than cores to spin on, a pod whose replica count differs from one of its
    /// containers'. Nil when they can run.
    public func placementProblem(of pods: [Pod], containers: [Container], grouping: String) -> PlacementProblem? {
        var requested = Array(repeating: 0.0, count: nodes.count)
        var polling = Array(repeating: 0, count: nodes.count)
        for pod in pods {
            for index in pod.containers {
                let container = containers[index]
                if let replicas = container.replicas, replicas != pod.replicaNodes.count {
                    return PlacementProblem(
                        problem:
                            "grouping \"\(grouping)\" runs container \"\(container.name)\" as \(pod.replicaNodes.count) replica(s), but it has \"replicas\": \(replicas)",
                        fix: "give its pod \(replicas) replica(s), or change the container's \"replicas\"")
                }
                if container.wait == .poll, !container.cpuset.isEmpty, container.threads > container.cpuset.count {
                    return PlacementProblem(
                        problem:
                            "container \"\(container.name)\" polls with \(container.threads) threads on \(container.cpuset.count) pinned core(s)",
                        fix: "give its cpuset a core per thread, lower \"threads\", or use \"wait\": \"block\"")
                }
                for node in pod.replicaNodes {
                    requested[node] += container.cpu
                    if let outside = container.cpuset.first(where: { $0 >= nodes[node].cores }) {
                        return PlacementProblem(
                            problem:
                                "container \"\(container.name)\" is pinned to core \(outside), but grouping \"\(grouping)\" puts it on node \"\(nodes[node].name)\" with cores 0-\(nodes[node].cores - 1)",
                            fix: "pin it to cores the node has, or give the node more cores")
                    }
                    if container.wait == .poll { polling[node] += container.threads }
                }
            }
        }
        for (node, cpu) in requested.enumerated() where cpu > Double(nodes[node].cores) + 1e-9 {
            return PlacementProblem(
                problem:
                    "grouping \"\(grouping)\" requests \(cpu) cores on node \"\(nodes[node].name)\", which has \(nodes[node].cores)",
                fix: "move a pod replica to another node, lower the containers' \"cpu\", or give the node more cores")
        }
        for (node, threads) in polling.enumerated() where threads > nodes[node].cores {
            return PlacementProblem(
                problem:
                    "grouping \"\(grouping)\" has \(threads) polling threads on node \"\(nodes[node].name)\", which has \(nodes[node].cores) cores to spin on",
                fix: "give the node more cores, spread the pods, or let some containers \"wait\": \"block\"")
        }
        return nil
    }
}

/// A rule of the topology a grouping breaks.
public struct RuleViolation: Sendable, Equatable {
    public enum Rule: String, Sendable, CaseIterable {
        case sameHost = "same_host"
        case separate
        case scaling
        case transport
    }
    public var rule: Rule
    /// The violation in words, naming the containers.
    public var description: String
}

extension Topology {
    /// Pods of `grouping` with several replicas, all on one node of a cluster of several: losing
    /// that node loses every replica (an availability risk the latency figures do not show).
    public func podsStackedOnOneNode(in grouping: Grouping) -> [Pod] {
        guard cluster.nodes.count > 1 else { return [] }
        return grouping.pods.filter { $0.replicaNodes.count > 1 && Set($0.replicaNodes).count == 1 }
    }

    /// Whether `pod`'s replicas are as evenly spread as the nodes allow: the replica counts of
    /// any two nodes differ by at most one.
    public func spreadsEvenly(_ pod: Pod) -> Bool {
        var counts = Array(repeating: 0, count: cluster.nodes.count)
        for node in pod.replicaNodes { counts[node] += 1 }
        return (counts.max() ?? 0) - (counts.min() ?? 0) <= 1
    }

    /// The first of the topology's own rules `grouping` breaks, in words: a `same_host` group
    /// split across nodes, a `separate` pair on one node, a container that scales independently
    /// sharing a pod, or a flow that needs one pod (Unix socket, pipe, shared memory, no
    /// fallback) between pods. Nil when it keeps them all.
    public func ruleViolation(in grouping: Grouping) -> RuleViolation? {
        func nodes(of container: Int) -> Set<Int> {
            Set(grouping.pods[grouping.podIndex(of: container)].replicaNodes)
        }
        for group in placementRules.sameHost {
            for other in group.dropFirst() where nodes(of: other) != nodes(of: group[0]) {
                return RuleViolation(
                    rule: .sameHost,
                    description:
                        "\"\(containers[group[0]].name)\" and \"\(containers[other].name)\" must share a host (same_host)"
                )
            }
        }
        for group in placementRules.separate {
            for (slot, a) in group.enumerated() {
                for b in group[(slot + 1)...] where !nodes(of: a).isDisjoint(with: nodes(of: b)) {
                    return RuleViolation(
                        rule: .separate,
                        description:
                            "\"\(containers[a].name)\" and \"\(containers[b].name)\" must be kept apart (separate)")
                }
            }
        }
        for pod in grouping.pods where pod.containers.count > 1 {
            if let alone = pod.containers.first(where: { containers[$0].scaling == .independent }) {
                return RuleViolation(
                    rule: .scaling,
                    description: "\"\(containers[alone].name)\" scales independently but shares pod \"\(pod.name)\"")
            }
        }
        for flow in flows where flow.transport.needsSharedPod && flow.fallback == nil {
            if grouping.podIndex(of: flow.from) != grouping.podIndex(of: flow.to) {
                return RuleViolation(
                    rule: .transport,
                    description: "flow \"\(flow.name)\" uses \(flow.transport.rawValue), which needs one pod")
            }
        }
        return nil
    }
}
