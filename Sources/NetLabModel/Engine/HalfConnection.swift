import NetLabCore

/// One direction of a connection: the writer's buffer and, for TCP, the sender's segments and the
/// receiver's reassembly. Its queues are handles into the run's ``HalfConnectionRings``: the
/// sender's segments and send order here, the rest in a ``HalfQueues`` set held only while one of
/// them holds something (`queues`).
///
/// TCP here follows Linux in the parts that decide throughput and latency: SACK loss recovery with
/// RFC 6675 pipe accounting (every hole in a window is repaired per round trip), loss detected by
/// time order as RACK does (RFC 8985; paths here never reorder, so a segment is lost once one sent
/// after it is delivered), a retransmission timeout per RFC 6298 with Linux's 200 ms floor after
/// which every segment in flight counts as lost (RFC 5681), Reno, CUBIC or BBR (paced) congestion control,
/// delayed ACKs (one per two segments or 40 ms, at once on out-of-order data, piggybacked on data
/// going back) and TCP Small Queues.
struct HalfConnection {
    enum SegmentState: UInt8 {
        /// Sent (or resent) and neither delivered nor known lost: counts in the pipe.
        case inFlight
        /// Reported delivered by a selective acknowledgement.
        case selectivelyAcknowledged
        /// Known lost and not yet resent.
        case lost
    }

    struct Segment {
        var payload: Int32
        /// The message this segment ends, or -1.
        var endsMessage: Int32
        var sentAt: SimTime
        /// Number of its latest transmission, in this direction's send order.
        var transmission: Int64
        var state: SegmentState
        var retransmitted: Bool
        // BBR's stamp of what had been delivered when it was last sent is in its ``Pacer``:
        // 32 bytes a segment that reno and cubic need not carry.
    }

    // Writer.
    /// Bytes written and not yet acknowledged (TCP) or read (IPC), or the socket memory of UDP
    /// datagrams still in the sender's stack: what the send buffer holds.
    var bufferedBytes: Int64 = 0

    // TCP sender.
    /// Segments from `acknowledgedUpTo` to `nextSegment` − 1: outstanding from the first send
    /// until acknowledged, which under delayed ACKs is most of the time (so kept here, not in the
    /// queue set).
    var segments = PooledRing()
    var nextSegment: Int64 = 0
    var acknowledgedUpTo: Int64 = 0
    /// Segments in flight: the pipe of RFC 6675.
    var inFlight = 0
    /// The lowest segment marked lost (`lostCount` below) is at or after `lostScan`.
    var lostScan: Int64 = 0
    /// Transmissions in the order they were made, for time-ordered loss detection (outstanding
    /// as long as `segments`).
    var sendOrder = PooledRing()
    var transmissions: Int64 = 0
    /// Fast recovery (`inFastRecovery`, with the flags below) lasts until the cumulative ACK
    /// passes `recoveryPoint`; no second window reduction for losses in the same window.
    var recoveryPoint: Int64 = -1
    var window: CongestionWindow
    var smoothedRTT: Double = -1
    var rttVariation: Double = 0
    var retransmissionTimeout: Int64
    var timerDeadline = SimTime.zero
    /// When the timer's live event fires; events at other times are stale.
    var timerEventAt = SimTime.zero
    /// When the last ACK waiting out its processing jitter will be processed (ACKs stay in order).
    var lastAckProcessing = SimTime.zero
    /// TCP Small Queues: bytes handed below the socket and not yet sent by the NIC.
    var queuedBelowSocket: Int64 = 0

    // TCP receiver.
    var nextExpected: Int64 = 0
    /// The delayed-ACK timer (`unacknowledgedSegments` below).
    var delayedAckDeadline = SimTime.zero

    // UDP receiver: socket memory of datagrams waiting to be read.
    var receiveQueueBytes: Int64 = 0

    // The parts' flags and small fields, together so that they share two words instead of
    // padding to one each (a cluster holds hundreds of thousands of halves).
    /// BBR only: where its model of the path, its delivery-rate samples and its pacing are kept
    /// (`GroupingRun.pacers`; -1 under reno and cubic, which need none of them).
    var pacer: Int32 = -1
    /// Its queue set's slot in `GroupingRun.halfQueues`, or -1 while every queue is empty.
    var queues: Int32 = -1
    /// Segments marked lost and not yet resent (at most a window's worth).
    var lostCount: Int32 = 0
    /// Segments received and not yet acknowledged (a delayed ACK waits for two at most).
    var unacknowledgedSegments: Int32 = 0
    var inFastRecovery = false
    /// BBR only: after a retransmission timeout, until the cumulative ACK passes `recoveryPoint`.
    var recoveringFromTimeout = false
    var timerArmed = false
    /// TCP Small Queues: the writer waits for bytes below the socket to be sent.
    var throttledBySmallQueues = false
    var delayedAckArmed = false

    init(initialWindow: Int) {
        window = CongestionWindow(initial: Double(initialWindow))
        retransmissionTimeout = SimDuration.seconds(1).picoseconds
    }

    /// Takes a round-trip sample and updates the timeout (RFC 6298 §2).
    mutating func observeRTT(_ sample: Int64, minimum: Int64) {
        let value = Double(sample)
        if smoothedRTT < 0 {
            smoothedRTT = value
            rttVariation = value / 2
        } else {
            rttVariation = 0.75 * rttVariation + 0.25 * abs(smoothedRTT - value)
            smoothedRTT = 0.875 * smoothedRTT + 0.125 * value
        }
        retransmissionTimeout = max(minimum, Int64(saturating: smoothedRTT + 4 * rttVariation))
    }

    /// Marks the segment at `offset` lost: out of the pipe, to be resent.
    mutating func markLost(offset: Int, in pool: inout RingPool<Segment>) {
        guard pool[segments, offset].state == .inFlight else { return }
        pool[segments, offset].state = .lost
        inFlight -= 1
        lostCount += 1
        lostScan = min(lostScan, acknowledgedUpTo + Int64(offset))
    }

    /// The lowest segment marked lost, as an offset from `acknowledgedUpTo`.
    mutating func lowestLost(in pool: RingPool<Segment>) -> Int? {
        guard lostCount > 0 else { return nil }
        var offset = Int(max(0, lostScan - acknowledgedUpTo))
        while offset < segments.count, pool[segments, offset].state != .lost { offset += 1 }
        lostScan = acknowledgedUpTo + Int64(offset)
        return offset < segments.count ? offset : nil
    }
}

/// The pools that hold every half's queues (``HalfConnection``), one per kind of element: a
/// half holds pool memory only while its queues hold something.
struct HalfConnectionRings {
    var segments = RingPool<HalfConnection.Segment>()
    var unsent = RingPool<(message: Int32, bytesLeft: Int64)>()
    var sendOrder = RingPool<(segment: Int64, transmission: Int64)>()
    var arrivedAcks = RingPool<(segment: Int64, cumulative: Int64)>()
    var received = RingPool<Bool>()
    var blockedWrites = RingPool<Int32>()
}
