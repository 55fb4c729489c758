import NetLabCore
import NetLabStats

/// A packet in flight: a TCP segment or ACK, a UDP datagram's IP fragment, or a whole IPC message.
struct Packet {
    var flow: Int32
    /// TCP: the half-connection whose data this is (ACKs: whose data they acknowledge). Else -1.
    var half: Int32
    /// TCP data: the segment number; ACKs: the segment it reports (SACK), or -1. UDP and IPC: the
    /// message handle.
    var segment: Int64
    /// TCP ACK: the receiver's next expected segment when it left. TCP data: the same for the
    /// reverse direction's data when the segment carries an ACK (piggybacked), else -1.
    var cumulative: Int64
    /// Bytes of the IP packet (payload and IP/transport headers; the whole message for IPC).
    var ipBytes: Int32
    /// Bytes on a physical link: IP packet, Ethernet, overlay, preamble and gap.
    var wireBytes: Int32
    var isAck: Bool
    /// Its passage is timed by stage (``PacketJourney``): it may be the packet that completes a
    /// message (a datagram, an IPC message, a TCP segment that ends a message). ACKs, handshakes
    /// and other segments are not, and skip the bookkeeping.
    var tracked = true
    /// Per-packet CPU costs are divided by this: segmentation and receive offload (GSO/TSO, GRO)
    /// let the kernel handle a full-sized TCP segment of a bulk send as part of a batch of up to
    /// 64 KiB, so it pays a share of one traversal; lone and final segments pay in full.
    var costDivisor: Int16 = 1
    /// Index into `lanes` of the lane of this path's first hop.
    var laneStart: Int32 = 0
    /// Index into `hops` of the path, its length, and the hop the packet is at.
    var pathStart: Int32
    var pathCount: Int16
    var hop: Int16
}

/// A message from one endpoint to another: a request, a response, a one-way message or a chunk of
/// a stream.
struct Message {
    enum Kind: UInt8 { case request, response, oneway, chunk, injected }
    var kind: Kind
    /// Sent by the connection's server (responses, and injected messages from the server side).
    var fromServer: Bool
    var flow: Int32
    var connection: Int32
    /// The rpc call this belongs to, or -1.
    var call: Int32
    var start: SimTime
    var bytes: Int64
    /// UDP: IP fragments still to arrive. IPC: 1.
    var remainingPackets: Int32
    var lost: Bool
    /// Receiving endpoint.
    var receiver: Int32
    /// The core the sender's write ran on, once it has run (-1 before): a reader on another core
    /// finds the bytes in that core's cache, not its own.
    var writerCore: Int32 = -1
}

/// An rpc call in progress.
struct Call {
    var flow: Int32
    /// Closed-loop caller index, or -1 for open-loop calls.
    var caller: Int32
    var connection: Int32
    var start: SimTime
    var requestBytes: Int64
    var responseBytes: Int64
    var serverTime: Int64
}

/// Work waiting for or running on a core.
struct Work {
    /// The core pool (host) it runs in.
    var pool: Int32
    /// Endpoint this work is done for (one of its threads runs it), or -1 for kernel work.
    var endpoint: Int32
    var duration: Int64
    var then: EventAction
    /// The core it is bound to (kernel work runs where it was raised), or -1 to go where the
    /// endpoint's placement allows.
    var core: Int32 = -1
    /// The core whose cache holds the bytes this work copies, and what the copy costs more when
    /// the work runs on any other core (known only once it starts).
    var dataCore: Int32 = -1
    var remoteCopy: Int64 = 0
}

/// One CPU core: runs one piece of work at a time.
struct Core {
    var busy = false
    /// What runs now is kernel work (softirq), not a thread: a synchronous wake-up may still
    /// queue its reader here.
    var runsKernelWork = false
    /// Work bound to this core, waiting for it.
    var queue = Ring<Int32>()
    /// A polling thread spins here: the core is always busy for everything but its own work.
    var dedicated = false
    /// Listed in its node's idle stack (entries may be stale: a core taken for bound work stays listed).
    var listedIdle = false
    var busyPicoseconds: Int64 = 0
    /// When the core last became idle (a wake-up there costs more the longer it slept).
    var idleSince = SimTime.zero
}

/// One node's cores: work bound to a core waits at that core; other work takes any idle core
/// that no polling thread holds, or waits in the node's shared FIFO queue. Unbound work alone
/// therefore sees a multi-server FIFO queue (M/M/c).
struct CorePool {
    /// Index in `cores` of the node's first core, and how many it has.
    var first: Int32
    var count: Int32
    var shared = Ring<Int32>()
    /// Idle cores that take unbound work, most recently idle last.
    var idle: [Int32] = []
    /// Cores left to unbound work; when polling threads hold every core, they take it too.
    var freeCores: Int32
}

/// Kernel processing of one direction of one connection at one CPU hop. Like receive-side
/// scaling, which steers a flow to one core, it handles one packet at a time, in order, so
/// packets of a flow are never reordered by running on different cores. A cluster has millions
/// (one per connection, direction and hop), nearly all idle: their queues are in the run's
/// `laneQueues` pool, which holds only what waits now.
struct Lane {
    var busy = false
    var waiting = PooledRing()
}

/// A drop-tail FIFO link: serialisation at `rate`, then `propagation`.
struct Link {
    var name: String
    var rate: BitRate
    var bufferBytes: Int64
    var propagation: Int64
    /// The part of `propagation` that is the receiving NIC's interrupt moderation, not distance
    /// (its stage is the devices').
    var interruptDelay: Int64 = 0
    /// Serialisation time of one byte when it is a whole number of picoseconds (8 ps at 1 Tb/s,
    /// 800 ps at 10 Gb/s), else 0: most link rates divide 8e12 and then need no wide division.
    let picosecondsPerByte: Int64
    /// Bytes accepted and not yet fully serialised (the one being sent included), and how many
    /// of the newest packets on `onWire` those are.
    var queuedBytes: Int64 = 0
    var unsentPackets = 0
    /// When the last accepted packet finishes serialising, in picoseconds.
    var busyUntil: Int64 = 0
    /// Packets accepted and not yet at the far end (waiting, being sent or propagating), oldest
    /// first, with the times their serialisation ends. A FIFO delays every packet by its wait, its
    /// serialisation and the same propagation, so they arrive in the order they came: only the
    /// oldest has an event pending, which keeps the event queue as small as the number of links,
    /// not of packets.
    var onWire = Ring<WireSlot>()
    var busyPicoseconds: Int64 = 0
    var drops: Int64 = 0
    /// A node's NIC, where TCP is throttled by TCP Small Queues instead of dropped.
    var isNIC = false
    /// A token-bucket shaper (``TokenBucket``) when positive: the burst as time at the rate.
    /// Tokens are kept as time too (as Linux's `tbf` keeps them): `tokens` ps of sending were
    /// saved up at `tokensAt`.
    var burstPicoseconds: Int64 = 0
    var tokens: Int64 = 0
    var tokensAt: Int64 = 0
    /// A shaper's use of its rate: when a link of that rate would finish what it has passed.
    var rateBusyUntil: Int64 = 0
}

extension Link {
    /// A shaper of `bucket`, its bucket full.
    init(name: String, shaping bucket: TokenBucket) {
        self.init(name: name, rate: bucket.rate, bufferBytes: bucket.limit.bytes, propagation: 0)
        burstPicoseconds = max(1, serializationPicoseconds(of: bucket.burst.bytes))
        tokens = burstPicoseconds
    }

    /// A shaper's wait before a packet of `bytes` that reaches the head of its queue at `start`
    /// may leave: none while the bucket holds its sending time, else until it has saved it up.
    mutating func takeTokens(at start: Int64, bytes: Int64) -> Int64 {
        let cost = serializationPicoseconds(of: bytes)
        let elapsed = start - tokensAt
        let available = elapsed >= burstPicoseconds - tokens ? burstPicoseconds : tokens + elapsed
        let wait = max(0, cost - available)
        tokens = available + wait - cost
        tokensAt = start + wait
        return wait
    }

    init(name: String, rate: BitRate, bufferBytes: Int64, propagation: Int64) {
        self.name = name
        self.rate = rate
        self.bufferBytes = bufferBytes
        self.propagation = propagation
        let bitsPerSecond = rate.bitsPerSecond
        picosecondsPerByte =
            bitsPerSecond > 0 && 8_000_000_000_000 % bitsPerSecond == 0 ? 8_000_000_000_000 / bitsPerSecond : 0
    }

    /// Forgets the packets whose serialisation ended by `now` (picoseconds).
    @inline(__always)
    mutating func forgetSent(upTo now: Int64) {
        while unsentPackets > 0 {
            let oldest = onWire[onWire.count - unsentPackets]
            guard oldest.finish <= now else { return }
            queuedBytes -= Int64(oldest.wireBytes)
            unsentPackets -= 1
        }
    }

    /// Takes the oldest packet off the wire: it has arrived, so it is certainly sent (with no
    /// propagation delay it arrives the instant it is sent, possibly before `forgetSent` ran).
    @inline(__always)
    mutating func removeArrived() -> WireSlot {
        if unsentPackets == onWire.count {
            unsentPackets -= 1
            queuedBytes -= Int64(onWire[0].wireBytes)
        }
        return onWire.removeFirst()
    }

    /// When the packet in `slot` reaches the far end.
    func arrival(of slot: WireSlot) -> SimTime { SimTime(picoseconds: slot.finish + propagation) }

    /// How long `bytes` take to serialise, exactly as `rate.serializationTime(of:)`.
    func serializationPicoseconds(of bytes: Int64) -> Int64 {
        picosecondsPerByte > 0 ? bytes * picosecondsPerByte : rate.serializationTime(of: bytes).picoseconds
    }
}

/// A packet accepted by a link: its size on the wire and when its serialisation ends.
struct WireSlot {
    var packet: Int32
    var wireBytes: Int32
    var finish: Int64
}

/// A running process: one replica of one container, with its threads.
struct Endpoint {
    var container: Int
    var replica: Int
    var node: Int
    var threads: Int
    /// Threads running or bound to work now; the rest wait in the kernel.
    var running = 0
    /// Work waiting for a free thread, in order.
    var waiting = Ring<Int32>()
    /// Cores it may run on, as bits relative to its node's first core; 0: any core.
    var allowedCores: UInt64 = 0
    /// The core it last ran on (the scheduler's `prev_cpu`), absolute.
    var homeCore: Int32
    /// Its threads spin on dedicated cores instead of sleeping: no wake-ups.
    var polls = false
    /// The shapers on its pod's interface, out of and into the pod (indices into `links`, or -1).
    var egressShaper: Int32 = -1
    var ingressShaper: Int32 = -1
    /// Time its threads spent working within the measurement window, summed over threads.
    var busyPicoseconds: Int64 = 0
}

/// Two endpoints joined for one flow, with the path each way.
struct Connection {
    var flow: Int
    var client: Int
    var server: Int
    var pathClass: PathClass
    var transport: Transport
    /// Largest payload of one packet each way (TCP: the MSS; UDP: of an IP fragment's first).
    var segmentPayload: Int64
    /// Hop ranges: index 0 client→server, 1 server→client.
    var pathStart: (Int32, Int32)
    var pathCount: (Int16, Int16)
    /// Extra bytes each packet carries on physical links (overlay), for frame sizes.
    var overlayBytes: Int32
    /// Index into `lanes` of the first hop's lane, client→server; the server→client lanes follow.
    var laneBase: Int32
    /// Full segments that fit in one 64 KiB offload batch (1 where segments are already that large).
    var offloadBatch: Int16
    /// The writer blocks past this many bytes written and not yet acknowledged (TCP) or read.
    var sendBuffer: Int64
    /// TCP: the receive window; UDP: the receive buffer; bytes.
    var receiveBuffer: Int64
    var congestionControl: CongestionControl
    var nagle: Bool
    /// TCP only: each call opens the connection anew (handshake, fresh congestion state).
    var perCall = false
    /// The sender's NIC rate, for TCP Small Queues (0 where the path has no NIC).
    var nicBitsPerSecond: Int64
    /// No link and no CPU cost on either path: a packet arrives within the call that sends it.
    var instant = false
}

/// Per-flow counters and latencies.
struct FlowTally {
    var latency = LatencyHistogram()
    var breakdown = LatencyBreakdown()
    var messages: Int64 = 0
    var bytes: Int64 = 0
    var offeredMessages: Int64 = 0
    var offeredBytes: Int64 = 0
    var droppedPackets: Int64 = 0
    var lostMessages: Int64 = 0
    var retransmissions: Int64 = 0
    /// Messages started in the window and neither finished nor lost, at each quarter of it.
    var backlog = BacklogTrend()
    /// Arrivals refused because the run's backlog limit was reached (in the window or not),
    /// and when the first was (meaningful once one was).
    var refusedArrivals: Int64 = 0
    var firstRefusal = SimTime.zero
}

/// A flow's backlog as sampled at the checkpoints: how many samples, the last, and whether
/// each was larger than the one before (all a run needs to call a flow unstable, in a few
/// bytes rather than a growing array per flow).
struct BacklogTrend {
    private(set) var last: Int64 = 0
    private(set) var samples: Int32 = 0
    private(set) var rising = true

    mutating func sample(_ backlog: Int64) {
        if samples > 0, backlog <= last { rising = false }
        last = backlog
        samples += 1
    }
}
