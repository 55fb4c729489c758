import NetLabCore
import NetLabSpec

extension SpecReader {
    /// A container's `bandwidth`: `{"ingress": …, "egress": …}`, each a rate (`"10Mbps"`) or a
    /// token bucket `{"rate", "burst", "limit"}` as `tc tbf` takes them.
    func bandwidthLimits(_ node: JSONNode, _ path: String) throws(SpecError) -> BandwidthLimits {
        let fields = try object(node, path, what: "bandwidth limits ({\"ingress\": \"10Mbps\", \"egress\": …})")
        try fields.rejectUnknownKeys(["ingress", "egress"])
        var limits = BandwidthLimits()
        if let value = fields.optional("ingress") { limits.ingress = try tokenBucket(value, fields.child("ingress")) }
        if let value = fields.optional("egress") { limits.egress = try tokenBucket(value, fields.child("egress")) }
        return limits
    }

    func tokenBucket(_ node: JSONNode, _ path: String) throws(SpecError) -> TokenBucket {
        if case .string = node.value { return TokenBucket(rate: try shapingRate(node, path)) }
        let fields = try object(node, path, what: "a rate (\"10Mbps\") or {\"rate\", \"burst\", \"limit\"}")
        try fields.rejectUnknownKeys(["rate", "burst", "limit"])
        let rate = try shapingRate(
            try fields.required("rate", fix: "add \"rate\", e.g. \"100Mbps\""), fields.child("rate"))
        func size(_ key: String) throws(SpecError) -> ByteCount? {
            guard let value = fields.optional(key) else { return nil }
            let bytes = try self.bytes(value, fields.child(key), what: "the \(key)")
            guard (16_384...(1 << 30)).contains(bytes.bytes) else {
                throw fail(
                    value, fields.child(key), "a \(key) of \(bytes.bytes)B is out of range",
                    fix: "use 16KiB to 1GiB (a packet larger than the burst could never pass)")
            }
            return bytes
        }
        let bucket = TokenBucket(rate: rate, burst: try size("burst"), limit: try size("limit"))
        guard bucket.limit >= bucket.burst || fields.optional("limit") == nil else {
            throw fail(
                fields.optional("limit"), fields.child("limit"), "the limit is smaller than the burst",
                fix: "give a limit of at least the burst (\(bucket.burst.bytes)B): a burst must fit in the queue")
        }
        return bucket
    }

    private func shapingRate(_ node: JSONNode, _ path: String) throws(SpecError) -> BitRate {
        let rate = try bitRate(node, path, what: "a shaping rate")
        guard (1_000...10_000_000_000_000).contains(rate.bitsPerSecond) else {
            throw fail(node, path, "a shaping rate of \(rate) is out of range", fix: "use 1kbps to 10Tbps")
        }
        return rate
    }
}
