/// What netlab accepts as a name of a container, flow, grouping, node or link: letters, digits,
/// '-', '_' and '.', at least one. Kubernetes' DNS names fit it, so imported names pass unchanged.
public enum NameRule {
    public static func accepts(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
    }
}
