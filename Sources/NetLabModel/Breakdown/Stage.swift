/// A stage of a message's life: what its latency is spent on. Every picosecond between the
/// application's send call and the end of its receive call (for an rpc call: until the response
/// is read) belongs to exactly one stage, so a message's stages add up to its latency.
///
/// The first eight are the stages of one packet's passage along its path
/// (``PacketJourney``); the rest happen to messages only.
public enum Stage: Int, CaseIterable, Sendable {
    /// Waiting in a queue: a link's buffer (NIC, switch port, shaper, including a shaper's wait
    /// for tokens) or a core's per-flow backlog of packets for the kernel.
    case queueing
    /// Waiting for a core, or for a free thread of the process, while another piece of work runs.
    case coreWait
    /// The kernel's TCP/IP or UDP stack, sending and receiving (loopback included).
    case stack
    /// veth pairs, the node bridge and the NIC driver.
    case devices
    /// Connection tracking and packet-filter rules (netfilter, kube-proxy's rules).
    case netfilter
    /// Overlay encapsulation and decapsulation (VXLAN, Geneve, IP-in-IP).
    case overlay
    /// Putting the bits on the wire at the link's rate.
    case serialization
    /// Distance: a link's propagation delay and the latency between zones.
    case propagation
    /// The application's send call and its copy into the kernel (or a shared buffer).
    case send
    /// Waking a sleeping thread: a wake-up on an idle core, or a context switch.
    case wakeup
    /// Waiting in the transport before the message's last packet leaves: a full send buffer,
    /// TCP's windows, pacing and small queues, the message's own earlier bytes, a new
    /// connection's handshake.
    case transport
    /// TCP loss recovery: waiting for a retransmission, and for earlier lost data before this
    /// message can be delivered in order.
    case recovery
    /// The receive call and its copy out of the kernel (or the shared buffer).
    case receive
    /// The server's own time on an rpc call.
    case server

    /// The stages in the order a message meets them, for tables and charts.
    public static let lifeOrder: [Stage] = [
        .send, .wakeup, .coreWait, .transport, .stack, .devices, .netfilter, .overlay, .queueing, .serialization,
        .propagation, .recovery, .receive, .server,
    ]

    /// Its name in JSON and CSV output.
    public var key: String {
        switch self {
        case .queueing: "queueing"
        case .coreWait: "core_wait"
        case .stack: "stack"
        case .devices: "devices"
        case .netfilter: "netfilter"
        case .overlay: "overlay"
        case .serialization: "serialization"
        case .propagation: "propagation"
        case .send: "send"
        case .wakeup: "wakeup"
        case .transport: "transport"
        case .recovery: "recovery"
        case .receive: "receive"
        case .server: "server"
        }
    }

    /// Its name in sentences and table headings.
    public var label: String {
        switch self {
        case .queueing: "queueing"
        case .coreWait: "waiting for a core"
        case .stack: "network stack"
        case .devices: "veth/bridge/NIC"
        case .netfilter: "netfilter"
        case .overlay: "overlay"
        case .serialization: "serialisation"
        case .propagation: "propagation"
        case .send: "send call"
        case .wakeup: "wake-ups"
        case .transport: "transport wait"
        case .recovery: "TCP recovery"
        case .receive: "receive call"
        case .server: "server time"
        }
    }

    /// A short heading of at most 6 characters, for the compact table.
    public var heading: String {
        switch self {
        case .queueing: "queue"
        case .coreWait: "corewt"
        case .stack: "stack"
        case .devices: "device"
        case .netfilter: "nfiltr"
        case .overlay: "overlay"
        case .serialization: "serial"
        case .propagation: "propag"
        case .send: "send"
        case .wakeup: "wakeup"
        case .transport: "transp"
        case .recovery: "recov"
        case .receive: "recv"
        case .server: "server"
        }
    }

    /// The cost-profile fields (docs/profiles.md) that set this stage's unloaded time for
    /// `transport` on `path`; empty for stages no profile figure sets (queueing, waits, the server).
    public func profileFields(for transport: Transport, on path: PathClass) -> [String] {
        switch (self, transport) {
        case (.send, .tcp): ["socket_send", "copy_per_byte"]
        case (.send, .udp): ["udp_send", "copy_per_byte"]
        case (.send, .uds), (.send, .udsDatagram): ["uds_send", "uds_copy_per_byte"]
        case (.send, .pipe): ["pipe_write", "pipe_copy_per_byte"]
        case (.send, .shm): ["shm_write", "shm_copy_per_byte"]
        case (.receive, .tcp): ["socket_receive", "copy_per_byte"]
        case (.receive, .udp): ["udp_receive", "copy_per_byte"]
        case (.receive, .uds), (.receive, .udsDatagram): ["uds_receive", "uds_copy_per_byte"]
        case (.receive, .pipe): ["pipe_read", "pipe_copy_per_byte"]
        case (.receive, .shm): ["shm_read", "shm_copy_per_byte"]
        case (.stack, .udp): ["udp_stack_transmit", "udp_stack_receive"]
        case (.stack, _): ["stack_transmit", "stack_receive"]
        case (.devices, _) where path == .crossNode:
            ["veth_per_packet", "bridge_per_packet", "nic_transmit", "nic_receive", "nic_interrupt_delay"]
        case (.devices, _): ["veth_per_packet", "bridge_per_packet"]
        case (.netfilter, _): ["netfilter_per_packet"]
        case (.overlay, _): ["vxlan_per_packet", "geneve_per_packet"]
        case (.wakeup, .uds): ["uds_wakeup", "wakeup", "context_switch"]
        case (.wakeup, _): ["wakeup", "context_switch"]
        case (.queueing, _), (.coreWait, _), (.serialization, _), (.propagation, _), (.transport, _),
            (.recovery, _), (.server, _):
            []
        }
    }

    /// Stages a packet passes through on its path (the first eight).
    static let journeyCount = 8
}
