import NetLabCore

/// What each step of moving bytes costs on a host: CPU time per message, per packet and per byte
/// for each transport, what waking a thread costs, buffer sizes, and TCP's parameters. Every figure
/// of the built-in `linux-default` profile and where it comes from is in `docs/profiles.md`; the
/// model that charges them is in `docs/model.md`.
public struct CostProfile: Sendable, Equatable {
    public var name: String

    // TCP socket system calls, per message, and the copy between user and kernel, per byte.
    public var socketSend: SimDuration
    public var socketReceive: SimDuration
    public var copyPerByte: SimDuration
    // Kernel TCP/IP stack, per segment, each direction.
    public var stackTransmit: SimDuration
    public var stackReceive: SimDuration
    // UDP: system calls per datagram and the stack per IP packet (fragment). Copies use `copyPerByte`.
    public var udpSend: SimDuration
    public var udpReceive: SimDuration
    public var udpStackTransmit: SimDuration
    public var udpStackReceive: SimDuration
    // Unix domain sockets (stream and datagram), pipes, shared memory: per message and per byte.
    public var udsSend: SimDuration
    public var udsReceive: SimDuration
    public var udsCopyPerByte: SimDuration
    public var pipeWrite: SimDuration
    public var pipeRead: SimDuration
    public var pipeCopyPerByte: SimDuration
    public var shmWrite: SimDuration
    public var shmRead: SimDuration
    public var shmCopyPerByte: SimDuration
    /// Extra per byte of every copy once more than `cacheBytes` wait between writer and reader
    /// (a bulk transfer streams through memory; a ping-pong's buffers stay in cache).
    public var coldCopyPerByte: SimDuration
    public var cacheBytes: Int64
    /// Extra per byte of a read on a core other than the writer's, of bytes that are still in
    /// cache: they come from the other core's cache or the shared one, not the reader's own (one
    /// figure for every transport; data from a NIC counts as another core's).
    public var remoteCopyPerByte: SimDuration = .zero
    /// Waking a blocked thread whose core is idle: the inter-processor interrupt and the idle exit.
    public var wakeup: SimDuration
    /// The same for a thread blocked on a Unix stream socket, where a host wakes it faster or
    /// slower than other waiters (nil: `wakeup`).
    public var udsWakeup: SimDuration?

    /// Waking a thread blocked on `transport` on an idle core: `udsWakeup` for a Unix stream
    /// socket where set, else `wakeup`.
    public func wakeup(on transport: Transport) -> SimDuration {
        if transport == .uds, let own = udsWakeup { return own }
        return wakeup
    }

    /// Switching a core from one thread to another: a thread woken on a core that is busy, or on
    /// the core of the thread that woke it.
    public var contextSwitch: SimDuration
    /// Default wait of sockets and pipes, and of shared memory: poll (spin on a core) or block.
    public var socketsPoll: Bool
    public var shmPolls: Bool
    // Between pods: veth pair, bridge, netfilter (conntrack and Service NAT), per packet.
    public var vethPerPacket: SimDuration
    public var bridgePerPacket: SimDuration
    public var netfilterPerPacket: SimDuration
    // Overlay encapsulation and decapsulation, per packet each side, unless the topology sets it.
    public var vxlanPerPacket: SimDuration
    public var genevePerPacket: SimDuration
    // NIC driver work per packet, and the interrupt-coalescing delay before received packets are seen.
    public var nicTransmit: SimDuration
    public var nicReceive: SimDuration
    public var nicInterruptDelay: SimDuration
    // TCP.
    public var tcpInitialWindow: Int
    /// The largest receive window (`tcp_rmem` maximum): bytes in flight per connection direction.
    public var tcpMaximumWindow: Int64
    /// The send buffer (`tcp_wmem` maximum, autotuned): bytes written and not yet acknowledged.
    public var tcpSendBuffer: Int64
    public var tcpMinimumRTO: SimDuration
    /// The delayed-ACK timeout (Linux `TCP_DELACK_MIN`).
    public var tcpDelayedAck: SimDuration
    /// What a pure ACK costs at each kernel stage, as a fraction of a data segment's cost.
    public var tcpAckCost: Double
    /// ACKs that come in through a NIC reach the sender's TCP after a random extra delay, uniform
    /// up to this (interrupt moderation, softirq scheduling). Without it, identical senders sharing a drop-tail queue
    /// lock into a fixed phase and one of them starves (Floyd and Jacobson, "On traffic phase
    /// effects in packet-switched gateways", 1992; ns-2's TCP `overhead_` serves the same end).
    public var tcpAckJitter: SimDuration
    public var congestionControl: CongestionControl
    /// How late the high-resolution timer that releases BBR's next paced burst runs after its
    /// deadline (timer interrupt, softirq; a virtual machine's timer exits add to it).
    public var pacingTimerDelay: SimDuration = .nanoseconds(2_000)
    /// Transports whose synchronous wake-ups (loopback, veth, Unix sockets, pipes, shared memory)
    /// run an unpinned reader on the waker's core, as Linux's `wake_affine` may; the others wake it
    /// on another, idle core with an interrupt. A set of ``Transport``s as bits (see
    /// ``wakesOnWakerCore(_:)``); `netlab calibrate` measures it per transport.
    public var affineWakeups: UInt8 = Self.allTransportBits
    public static let allTransportBits = UInt8((1 << Transport.allCases.count) - 1)

    /// Whether a synchronous wake-up over `transport` runs an unpinned reader on the waker's core.
    @inline(__always)
    public func wakesOnWakerCore(_ transport: Transport) -> Bool {
        affineWakeups & (1 << transport.bit) != 0
    }

    /// Whether paced TCP leaves the host in offload bursts of about a millisecond (Linux's TSO
    /// autosizing) rather than segment by segment (`ideal`, as ns-3 paces).
    public var offloadBursts = true
    // Buffers.
    /// A UDP socket's receive buffer (`net.core.rmem_default`), in bytes of socket memory.
    public var udpReceiveBuffer: Int64
    /// A UDP socket's send buffer (`net.core.wmem_default`): a datagram holds its socket memory
    /// until it leaves the sender's stack (crosses its first device), and a writer that finds the
    /// buffer full sleeps until it drains, as a blocking socket does.
    public var udpSendBuffer: Int64
    /// A Unix socket's buffer between writer and reader (`net.core.wmem_default`).
    public var udsBuffer: Int64
    /// A pipe's capacity (16 pages).
    public var pipeCapacity: Int64
    /// Packets a core's receive queue holds before dropping (`net.core.netdev_max_backlog`).
    public var backlogPackets: Int
    /// The loopback interface's MTU (65536 on Linux).
    public var loopbackMTU: Int64
    /// How the host costs above vary around their figures (none: every cost is its figure).
    public var variability: HostVariability = .none

    /// The built-in profiles by name.
    public static let builtIn: [String: CostProfile] = ["linux-default": .linuxDefault, "ideal": .ideal]

    /// A Linux host of a current x86 server class; see `docs/profiles.md` for each figure's source.
    public static let linuxDefault: CostProfile = {
        var profile = linuxDefaultFigures
        profile.variability = linuxDefaultVariability
        return profile
    }()

    /// The spread of a virtualised x86 host's wake-ups and work, as `netlab calibrate` measured it
    /// on 2-vCPU cloud machines (docs/profiles.md).
    static let linuxDefaultVariability = HostVariability(
        wakeupSigma: 0.35, contextSwitchSigma: 0.25, workSigma: 0.2,
        idleWakeup: (.microseconds(2), .microseconds(8), .microseconds(20)))

    static let linuxDefaultFigures = CostProfile(
        name: "linux-default",
        socketSend: .nanoseconds(1_000), socketReceive: .nanoseconds(1_000), copyPerByte: .picoseconds(100),
        stackTransmit: .nanoseconds(1_200), stackReceive: .nanoseconds(1_200),
        udpSend: .nanoseconds(800), udpReceive: .nanoseconds(800), udpStackTransmit: .nanoseconds(800),
        udpStackReceive: .nanoseconds(800),
        udsSend: .nanoseconds(700), udsReceive: .nanoseconds(700), udsCopyPerByte: .picoseconds(100),
        pipeWrite: .nanoseconds(200), pipeRead: .nanoseconds(200), pipeCopyPerByte: .picoseconds(80),
        shmWrite: .nanoseconds(50), shmRead: .nanoseconds(50), shmCopyPerByte: .picoseconds(50),
        coldCopyPerByte: .picoseconds(100), cacheBytes: 2 << 20,
        wakeup: .nanoseconds(2_600), contextSwitch: .nanoseconds(1_500), socketsPoll: false, shmPolls: true,
        vethPerPacket: .nanoseconds(1_600), bridgePerPacket: .nanoseconds(1_500),
        netfilterPerPacket: .nanoseconds(12_000),
        vxlanPerPacket: .nanoseconds(1_000), genevePerPacket: .nanoseconds(1_100),
        nicTransmit: .nanoseconds(1_000), nicReceive: .nanoseconds(2_000), nicInterruptDelay: .microseconds(10),
        tcpInitialWindow: 10, tcpMaximumWindow: 4 << 20, tcpSendBuffer: 4 << 20, tcpMinimumRTO: .milliseconds(200),
        tcpDelayedAck: .milliseconds(40), tcpAckCost: 0.5, tcpAckJitter: .microseconds(10), congestionControl: .cubic,
        udpReceiveBuffer: 212_992, udpSendBuffer: 212_992, udsBuffer: 212_992, pipeCapacity: 65_536,
        backlogPackets: 1_000, loopbackMTU: 65_536)

    /// Every host cost zero and nothing random: only serialisation, propagation and queueing remain
    /// (buffers and TCP stay as in `linux-default`, without its ACK timing noise). For checking
    /// the engine against queueing theory and other simulators.
    public static let ideal: CostProfile = {
        var profile = linuxDefault
        profile.name = "ideal"
        for field in Field.allCases where field.isHostCost {
            profile.set(field, to: 0)
        }
        // Unset, as in linux-default: it follows `wakeup` when an override sets that.
        profile.udsWakeup = nil
        profile.socketsPoll = true
        profile.shmPolls = true
        profile.tcpAckCost = 0
        profile.tcpAckJitter = .zero
        profile.offloadBursts = false
        profile.variability = .none
        return profile
    }()
}
