import NetLabCore

/// What each step of moving bytes costs on a host: CPU time per message, per packet and per byte,
/// the latency of waking a sleeping receiver, and TCP's parameters. Every figure of the built-in
/// `linux-default` profile and where it comes from is in `docs/profiles.md`.
public struct CostProfile: Sendable, Equatable {
    public var name: String

    // Socket system calls (TCP and UDP), per message, and the copy between user and kernel.
    public var socketSend: SimDuration
    public var socketReceive: SimDuration
    public var copyPerByte: SimDuration
    // Kernel network stack, per packet (segment), each direction.
    public var stackTransmit: SimDuration
    public var stackReceive: SimDuration
    // Unix domain sockets, pipes, shared memory: per message.
    public var udsSend: SimDuration
    public var udsReceive: SimDuration
    public var pipeWrite: SimDuration
    public var pipeRead: SimDuration
    public var shmWrite: SimDuration
    public var shmRead: SimDuration
    // Waking a receiver that sleeps in a blocking call (charged only when it was idle).
    public var wakeup: SimDuration
    public var socketsPoll: Bool
    public var shmPolls: Bool
    // Between pods: veth pair, bridge, netfilter (conntrack and Service NAT), per packet.
    public var vethPerPacket: SimDuration
    public var bridgePerPacket: SimDuration
    public var netfilterPerPacket: SimDuration
    // NIC driver work per packet, and the interrupt-coalescing delay before received packets are seen.
    public var nicTransmit: SimDuration
    public var nicReceive: SimDuration
    public var nicInterruptDelay: SimDuration
    // TCP.
    public var tcpInitialWindow: Int
    public var tcpMaximumWindow: Int64
    public var tcpMinimumRTO: SimDuration
    /// The loopback interface's MTU (65536 on Linux).
    public var loopbackMTU: Int64

    /// The built-in profiles by name.
    public static let builtIn: [String: CostProfile] = ["linux-default": .linuxDefault, "ideal": .ideal]

    /// A Linux host of a current x86 server class; see `docs/profiles.md` for each figure's source.
    public static let linuxDefault = CostProfile(
        name: "linux-default",
        socketSend: .nanoseconds(1_000), socketReceive: .nanoseconds(1_000), copyPerByte: .picoseconds(100),
        stackTransmit: .nanoseconds(1_200), stackReceive: .nanoseconds(1_200),
        udsSend: .nanoseconds(700), udsReceive: .nanoseconds(700),
        pipeWrite: .nanoseconds(200), pipeRead: .nanoseconds(200),
        shmWrite: .nanoseconds(50), shmRead: .nanoseconds(50),
        wakeup: .nanoseconds(2_600), socketsPoll: false, shmPolls: true,
        vethPerPacket: .nanoseconds(1_000), bridgePerPacket: .nanoseconds(1_500), netfilterPerPacket: .nanoseconds(12_000),
        nicTransmit: .nanoseconds(1_000), nicReceive: .nanoseconds(2_000), nicInterruptDelay: .microseconds(10),
        tcpInitialWindow: 10, tcpMaximumWindow: 4 << 20, tcpMinimumRTO: .milliseconds(200), loopbackMTU: 65_536)

    /// Every host cost zero: only serialisation, propagation and queueing remain. For checking the
    /// engine against queueing theory.
    public static let ideal = CostProfile(
        name: "ideal",
        socketSend: .zero, socketReceive: .zero, copyPerByte: .zero, stackTransmit: .zero, stackReceive: .zero,
        udsSend: .zero, udsReceive: .zero, pipeWrite: .zero, pipeRead: .zero, shmWrite: .zero, shmRead: .zero,
        wakeup: .zero, socketsPoll: true, shmPolls: true,
        vethPerPacket: .zero, bridgePerPacket: .zero, netfilterPerPacket: .zero,
        nicTransmit: .zero, nicReceive: .zero, nicInterruptDelay: .zero,
        tcpInitialWindow: 10, tcpMaximumWindow: 4 << 20, tcpMinimumRTO: .milliseconds(200), loopbackMTU: 65_536)
}
