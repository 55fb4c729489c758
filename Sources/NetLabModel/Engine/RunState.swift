import NetLabCore
import NetLabStats

/// A packet in flight: a TCP segment or ACK, a UDP datagram, or a whole IPC message.
struct Packet {
    var flow: Int32
    /// TCP: the half-connection whose data this is (ACKs: whose data they acknowledge). Else -1.
    var half: Int32
    /// TCP data and ACKs: the segment number. UDP and IPC: the message handle.
    var segment: Int64
    /// TCP ACK: the receiver's next expected segment when the ACK left.
    var cumulative: Int64
    /// Bytes of the IP packet (payload and IP/transport headers; the whole message for IPC).
    var ipBytes: Int32
    /// Bytes on a physical link: IP packet, Ethernet, overlay, preamble and gap.
    var wireBytes: Int32
    var isAck: Bool
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
    enum Kind: UInt8 { case request, response, oneway, chunk, replayed }
    var kind: Kind
    /// Sent by the connection's server (responses, and replayed messages from the server side).
    var fromServer: Bool
    var flow: Int32
    var connection: Int32
    /// The rpc call this belongs to, or -1.
    var call: Int32
    var start: SimTime
    var bytes: Int64
    /// UDP: datagrams still to arrive. IPC: 1.
    var remainingPackets: Int32
    var lost: Bool
    /// Receiving endpoint.
    var receiver: Int32
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
    var node: Int32
    var duration: Int64
    /// Endpoint this work is done for (its process is busy while it runs), or -1 for kernel work.
    var endpoint: Int32
    var then: EventAction
}

/// One node's cores as a multi-server FIFO queue.
struct CorePool {
    var cores: Int
    var busy = 0
    var waiting = Ring<Int32>()
    var busyPicoseconds: Int64 = 0
}

/// Kernel processing of one direction of one connection at one CPU hop. Like receive-side
/// scaling, which steers a flow to one core, it handles one packet at a time, in order, so
/// packets of a flow are never reordered by running on different cores.
struct Lane {
    var busy = false
    var waiting = Ring<Int32>()
}

/// A drop-tail FIFO link: serialisation at `rate`, then `propagation`.
struct Link {
    var name: String
    var rate: BitRate
    var bufferBytes: Int64
    var propagation: Int64
    var queuedBytes: Int64 = 0
    var queue = Ring<Int32>()
    var transmitting = false
    var busyPicoseconds: Int64 = 0
    var drops: Int64 = 0
}

/// A running process: one replica of one container.
struct Endpoint {
    var container: Int
    var replica: Int
    var node: Int
    /// CPU work under way or queued for this process; a receive that finds none pays the wake-up.
    var activeWork = 0
}

/// Two endpoints joined for one flow, with the path each way.
struct Connection {
    var flow: Int
    var client: Int
    var server: Int
    var pathClass: PathClass
    var transport: Transport
    /// Largest payload of one packet each way.
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
}

/// Per-flow counters and latencies.
struct FlowTally {
    var latency = LatencyHistogram()
    var messages: Int64 = 0
    var bytes: Int64 = 0
    var offeredMessages: Int64 = 0
    var offeredBytes: Int64 = 0
    var droppedPackets: Int64 = 0
    var lostMessages: Int64 = 0
    var retransmissions: Int64 = 0
}
