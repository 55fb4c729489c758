import NetLabCore

/// A capture that cannot be read (or read to its end): the file, where (packet number and byte
/// offset when known), what is wrong and how to fix it. Printed as one line.
public struct TraceError: LocatedError, Sendable {
    public enum Kind: Sendable {
        case missingFile, unreadable, notACapture, unsupported, damaged
    }

    public var kind: Kind
    public var file: String
    /// 1-based number of the packet at which reading failed.
    public var packet: Int?
    /// Byte offset in the file where reading failed.
    public var byteOffset: Int64?
    public var problem: String
    public var fix: String
    /// The error this one reports under another name (the partial file's, for the file it
    /// becomes), kept.
    public var cause: (any LocatedError & Sendable)?

    public init(
        kind: Kind, file: String, packet: Int? = nil, byteOffset: Int64? = nil, problem: String, fix: String,
        cause: (any LocatedError & Sendable)? = nil
    ) {
        self.cause = cause
        self.kind = kind
        self.file = file
        self.packet = packet
        self.byteOffset = byteOffset
        self.problem = problem
        self.fix = fix
    }

    /// `file:packet N (byte offset B)`, as much as is known.
    public var location: String {
        var parts: [String] = []
        if let packet { parts.append("packet \(packet)") }
        if let byteOffset { parts.append("byte offset \(byteOffset)") }
        return parts.isEmpty ? file : "\(file):\(parts.joined(separator: ", "))"
    }
}
