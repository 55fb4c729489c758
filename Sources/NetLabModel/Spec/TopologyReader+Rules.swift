import NetLabSpec

extension SpecReader {
    /// The containers' `replicas`, `scaling` and `scales_with`, read once every container is
    /// known (`scales_with` names others).
    func scalingRules(_ node: JSONNode, containers: inout [Container]) throws(SpecError) {
        let items = try array(node, "containers", what: "the containers")
        let lookup = containerLookup(containers)
        for (index, item) in items.enumerated() {
            guard case .object = item.value else { continue }
            let fields = try object(item, "containers[\(index)]", what: "a container")
            if let replicas = fields.optional("replicas") {
                containers[index].replicas = try integer(
                    replicas, fields.child("replicas"), what: "replicas", range: 1...1000)
            }
            var independent = false
            if let scaling = fields.optional("scaling") {
                let text = try string(scaling, fields.child("scaling"), what: "the scaling")
                switch text {
                case "independent": independent = true
                case "together": break
                default:
                    throw fail(
                        scaling, fields.child("scaling"), "unknown scaling \"\(text)\"",
                        fix: "use \"independent\" (it scales on its own) or \"together\" (with \"scales_with\")")
                }
            }
            guard let list = fields.optional("scales_with") else {
                if independent { containers[index].scaling = .independent }
                continue
            }
            let path = fields.child("scales_with")
            if independent {
                throw fail(
                    list, path, "container \"\(containers[index].name)\" scales independently and with others",
                    fix: "drop \"scaling\": \"independent\" or \"scales_with\"")
            }
            var partners: [Int] = []
            let members: [JSONNode] =
                if case .string = list.value { [list] } else { try array(list, path, what: "container names") }
            for (slot, member) in members.enumerated() {
                let partner = try containerReference(member, "\(path)[\(slot)]", containers: containers, lookup: lookup)
                guard partner != index else {
                    throw fail(
                        member, "\(path)[\(slot)]", "a container scales with itself", fix: "name another container")
                }
                partners.append(partner)
            }
            containers[index].scaling = .with(partners)
        }
        for (index, container) in containers.enumerated() {
            guard case .with(let partners) = container.scaling else { continue }
            for partner in partners {
                let other = containers[partner]
                if other.scaling == .independent {
                    throw fail(
                        items[index], "containers[\(index)].scales_with",
                        "container \"\(container.name)\" scales with \"\(other.name)\", which scales independently",
                        fix: "drop one of the two statements")
                }
                if (container.replicas ?? 1) != (other.replicas ?? 1) {
                    throw fail(
                        items[index], "containers[\(index)].scales_with",
                        "container \"\(container.name)\" scales with \"\(other.name)\" but has \(container.replicas ?? 1) replica(s) to its \(other.replicas ?? 1)",
                        fix: "give both the same \"replicas\"")
                }
            }
        }
    }

    /// `same_host` and `separate`: lists of container-name groups. Contradictions (a pair in both,
    /// a `same_host` group no node can hold, a pair kept apart that a flow needs in one pod) are
    /// refused with the names involved.
    func placementRules(_ top: Object, containers: [Container], cluster: Cluster, flows: [Flow]) throws(SpecError)
        -> PlacementRules
    {
        let lookup = containerLookup(containers)
        func groups(_ key: String) throws(SpecError) -> [[Int]] {
            guard let node = top.optional(key) else { return [] }
            var groups: [[Int]] = []
            for (index, item) in try array(node, key, what: "groups of container names").enumerated() {
                let path = "\(key)[\(index)]"
                var group: [Int] = []
                for (slot, member) in try array(item, path, what: "a group of container names").enumerated() {
                    let container = try containerReference(
                        member, "\(path)[\(slot)]", containers: containers, lookup: lookup)
                    if !group.contains(container) { group.append(container) }
                }
                guard group.count >= 2 else {
                    throw fail(item, path, "a group of fewer than two containers", fix: "name two or more containers")
                }
                groups.append(group)
            }
            return groups
        }
        var spread = ReplicaSpread.even
        if let node = top.optional("replica_spread") {
            let text = try string(node, "replica_spread", what: "\"even\" or \"any\"")
            guard let value = ReplicaSpread(rawValue: text) else {
                throw fail(
                    node, "replica_spread", "unknown replica spread \"\(text)\"",
                    fix: "give \"even\" (the default: replicas spread over the nodes) or \"any\"")
            }
            spread = value
        }
        let rules = PlacementRules(
            sameHost: try groups("same_host"), separate: try groups("separate"), replicaSpread: spread)
        let largest = cluster.nodes.map(\.cores).max() ?? 0
        for (index, group) in rules.sameHost.enumerated() {
            let names = group.map { "\"\(containers[$0].name)\"" }.joined(separator: " + ")
            let cpu = group.reduce(0.0) { $0 + containers[$1].cpu }
            if cpu > Double(largest) + 1e-9 {
                throw fail(
                    top.optional("same_host"), "same_host[\(index)]",
                    "\(names) request \(group.map { "\(containers[$0].cpu)" }.joined(separator: " + ")) = \(cpu) cores, more than the largest node's \(largest)",
                    fix: "lower their \"cpu\", give a node more cores, or drop the same_host group")
            }
            for (slot, a) in group.enumerated() {
                for b in group[(slot + 1)...] where rules.mustBeSeparate(a, b) {
                    throw fail(
                        top.optional("separate"), "same_host[\(index)]",
                        "\"\(containers[a].name)\" and \"\(containers[b].name)\" are both in same_host and in separate",
                        fix: "keep the pair in one of the two")
                }
            }
        }
        for flow in flows where flow.transport.needsSharedPod && flow.fallback == nil {
            let (a, b) = (containers[flow.from], containers[flow.to])
            if rules.mustBeSeparate(flow.from, flow.to) || a.scaling == .independent || b.scaling == .independent
                || (a.replicas ?? 1) != (b.replicas ?? 1)
            {
                throw fail(
                    top.optional("separate") ?? top.node, "flows",
                    "flow \"\(flow.name)\" uses \(flow.transport.rawValue), which needs \"\(a.name)\" and \"\(b.name)\" in one pod, but separate, scaling or replicas keep them apart",
                    fix: "add \"fallback\": \"tcp\" to the flow, or drop the rule that keeps them apart")
            }
        }
        return rules
    }
}
