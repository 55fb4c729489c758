import NetLabCore
import NetLabSpec

extension SpecReader {
    /// The cluster's overlay; `zones` is how many zones its nodes name (an overlay between zones
    /// needs two).
    func overlay(_ node: JSONNode?, zones: Int) throws(SpecError) -> Overlay {
        func defaults(_ kind: Overlay.Kind) -> Overlay {
            switch kind {
            case .none: Overlay(kind: .none, headerBytes: 0, cpuPerPacket: nil)
            // Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 = 50 B (RFC 7348).
            case .vxlan: Overlay(kind: .vxlan, headerBytes: 50, cpuPerPacket: nil)
            // As VXLAN, with a Geneve header of 8 B + options: 58 B with one 8 B option (RFC 8926).
            case .geneve: Overlay(kind: .geneve, headerBytes: 58, cpuPerPacket: nil)
            }
        }
        guard let node else { return defaults(.none) }
        let kinds = Overlay.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        if case .string(let text) = node.value {
            guard let kind = Overlay.Kind(rawValue: text) else {
                throw fail(node, "cluster.overlay", "unknown overlay \"\(text)\"", fix: "use one of \(kinds)")
            }
            return defaults(kind)
        }
        let fields = try object(node, "cluster.overlay", what: "an overlay")
        try fields.rejectUnknownKeys(["kind", "bytes", "cpu", "between"])
        let kindText = try string(
            try fields.required("kind", fix: "add \"kind\": one of \(kinds)"), "cluster.overlay.kind",
            what: "the overlay kind")
        guard let kind = Overlay.Kind(rawValue: kindText) else {
            throw fail(
                fields.optional("kind"), "cluster.overlay.kind", "unknown overlay \"\(kindText)\"",
                fix: "use one of \(kinds)")
        }
        var overlay = defaults(kind)
        if let value = fields.optional("bytes") {
            overlay.headerBytes = try bytes(value, "cluster.overlay.bytes", what: "the encapsulation size").bytes
            guard overlay.headerBytes <= 512 else {
                throw fail(
                    value, "cluster.overlay.bytes", "encapsulation of \(overlay.headerBytes)B is absurd",
                    fix: "use at most 512B (VXLAN is 50B)")
            }
        }
        if let value = fields.optional("cpu") {
            let cost = try duration(value, "cluster.overlay.cpu", what: "the per-packet CPU cost")
            guard cost <= .seconds(1) else {
                throw fail(
                    value, "cluster.overlay.cpu", "\(cost) per packet is absurd",
                    fix: "give at most 1s (VXLAN costs about 1us)")
            }
            overlay.cpuPerPacket = cost
        }
        if let value = fields.optional("between") {
            let text = try string(value, "cluster.overlay.between", what: "\"nodes\" or \"zones\"")
            guard let scope = Overlay.Scope(rawValue: text) else {
                throw fail(
                    value, "cluster.overlay.between", "unknown scope \"\(text)\"",
                    fix:
                        "use \"nodes\" (every packet between nodes is encapsulated) or \"zones\" (only between nodes of different zones)"
                )
            }
            guard scope == .nodes || zones >= 2 else {
                throw fail(
                    value, "cluster.overlay.between", "an overlay between zones, but fewer than two zones",
                    fix: "give nodes a \"zone\" (two zones at least), or drop \"between\" to encapsulate between nodes")
            }
            overlay.between = scope
        }
        return overlay
    }
}
