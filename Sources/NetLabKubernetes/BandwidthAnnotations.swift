import NetLabCore
import NetLabModel
import NetLabSpec

/// The pod annotations the Kubernetes bandwidth CNI plugin shapes by
/// (`kubernetes.io/ingress-bandwidth`, `kubernetes.io/egress-bandwidth`), in bits per second.
public struct BandwidthAnnotations: Sendable, Equatable {
    /// The rate into the pod (`kubernetes.io/ingress-bandwidth`); nil when not annotated.
    public var ingress: Int64?
    /// The rate out of the pod (`kubernetes.io/egress-bandwidth`); nil when not annotated.
    public var egress: Int64?

    static let keys = (ingress: "kubernetes.io/ingress-bandwidth", egress: "kubernetes.io/egress-bandwidth")
    /// What kubelet accepts: 1k to 1P bits per second.
    static let accepted: ClosedRange<Double> = 1e3...1e15

    var isEmpty: Bool { ingress == nil && egress == nil }

    /// Bits per second of a Kubernetes quantity: `10M`, `1.5G`, `100Ki`, `1e6`.
    static func bitsPerSecond(_ text: String) -> Double? {
        let suffixes: [(String, Double)] = [
            ("Ki", 0x1p10), ("Mi", 0x1p20), ("Gi", 0x1p30), ("Ti", 0x1p40), ("Pi", 0x1p50), ("Ei", 0x1p60),
            ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18), ("m", 1e-3),
        ]
        let trimmed = text.trimmingWhitespace
        for (suffix, scale) in suffixes where trimmed.hasSuffix(suffix) {
            guard let number = plainNumber(String(trimmed.dropLast(suffix.count))) else { return nil }
            return number * scale
        }
        return plainNumber(trimmed)
    }

    private static func plainNumber(_ text: String) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
            let value = Double(text), value.isFinite
        else { return nil }
        return value
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

extension ManifestReader {
    /// The bandwidth annotations of a workload's pods, each checked as kubelet checks it.
    func bandwidth(_ root: JSONNode, annotationsPath: String) throws(KubernetesError) -> BandwidthAnnotations {
        var result = BandwidthAnnotations()
        guard let annotations = child(root, annotationsPath), case .object(let members) = annotations.value else {
            return result
        }
        for (key, node) in members
        where key == BandwidthAnnotations.keys.ingress || key == BandwidthAnnotations.keys.egress {
            let path = "\(annotationsPath).\(key)"
            let text: String
            switch node.value {
            case .string(let value), .number(let value): text = value
            default: throw fail(node, path, "not a bandwidth", fix: "write a quantity in bits per second, e.g. 10M")
            }
            guard let value = BandwidthAnnotations.bitsPerSecond(text), BandwidthAnnotations.accepted.contains(value)
            else {
                throw fail(
                    node, path, "\"\(text)\" is not a bandwidth kubelet accepts",
                    fix: "write bits per second from 1k to 1P, e.g. 10M or 1G")
            }
            if key == BandwidthAnnotations.keys.ingress {
                result.ingress = Int64(saturating: value)
            } else {
                result.egress = Int64(saturating: value)
            }
        }
        return result
    }
}
