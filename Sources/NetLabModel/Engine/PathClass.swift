/// How a flow's bytes travel in a grouping, derived from where its two containers sit.
public enum PathClass: String, Sendable, CaseIterable {
    /// One pod, TCP or UDP over the loopback interface.
    case loopback
    /// One pod, Unix domain socket.
    case uds
    /// One pod, pipe (the pod's containers share a volume for a named pipe).
    case pipe
    /// One pod, shared memory in the pod's IPC namespace.
    case shm
    /// Different pods on one node: veth, bridge, veth.
    case sameNode = "same-node"
    /// Different nodes: NIC, switch, NIC (and the overlay, if any).
    case crossNode = "cross-node"
}

extension PathClass {
    /// The receiver is woken from the sender's own context (the kernel delivers in the sending
    /// system call or the softirq it raises), synchronously; across nodes a NIC interrupt wakes it.
    var wakesSynchronously: Bool { self != .crossNode }
}

/// One step of a packet's path. Laid out in 24 bytes (the widest fields first), since every
/// packet reads its hops.
struct Hop {
    enum Kind: UInt8 { case cpu, link, delay }
    /// CPU time per packet (for `cpu`); the time every packet takes (for `delay`: distance).
    var cost: Int64
    /// The node (for `cpu`) or the link (for `link`).
    var index: Int32
    /// How the CPU time divides between stages (for `cpu`).
    var shares = WorkShares()
    var kind: Kind
    /// A receiving stage (`cpu`): packets wait in its core's backlog, which drops past its limit.
    var receives = false
    /// The first hop past the sending node's transmit work (its first device crossed): a UDP
    /// datagram that reaches it no longer holds socket memory of its sender (Linux orphans the
    /// buffer there).
    var leavesSender = false

    init(kind: Kind, index: Int32, cost: Int64, receives: Bool = false) {
        self.kind = kind
        self.index = index
        self.cost = cost
        self.receives = receives
    }
}

/// Header sizes, in bytes, used to turn payload into packets and frames.
enum Headers {
    static let ipv4 = 20
    static let tcp = 20
    static let udp = 8
    /// Ethernet header 14 + frame check sequence 4.
    static let ethernet = 18
    /// Preamble 8 + minimum inter-frame gap 12: wire time every frame costs.
    static let wireOverhead = 20
    /// Smallest Ethernet frame (header and FCS included).
    static let minimumFrame = 64
    /// Largest UDP payload of one datagram (65535 − IP 20 − UDP 8).
    static let largestDatagram: Int64 = 65_507
    /// Socket memory a queued datagram takes beyond its payload (the skb and its shared info),
    /// as Linux charges it against the receive buffer.
    static let socketBufferOverhead: Int64 = 768
}
