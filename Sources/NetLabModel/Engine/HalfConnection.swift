import NetLabCore

/// One direction of a TCP connection: the sender's window and retransmission state, and the
/// receiver's reassembly state (the simulation sees both ends, so they live together).
///
/// Segments are numbered; the receiver acknowledges each one it gets, with its cumulative point,
/// like SACK. The sender grows its window per acknowledged segment (slow start, then congestion
/// avoidance), retransmits the oldest hole once three later segments are acknowledged (fast
/// retransmit, halving the window once per window of data), and on a retransmission timeout
/// (RFC 6298 estimate, Linux's 200 ms floor, exponential back-off) resends the oldest segment with
/// a window of one.
struct HalfConnection {
    struct Segment {
        var payload: Int32
        /// The message this segment ends, or -1.
        var endsMessage: Int32
        var sentAt: SimTime
        var acknowledged: Bool
        var retransmitted: Bool
    }

    /// Messages handed to TCP, not yet cut into segments: (handle, bytes left).
    var unsent = Ring<(message: Int32, bytesLeft: Int64)>()
    /// Bytes written by the application and not yet acknowledged (for the stream's send buffer).
    var bufferedBytes: Int64 = 0
    /// Segments from `acknowledgedUpTo` to `nextSegment` − 1.
    var segments = Ring<Segment>()
    var nextSegment: Int64 = 0
    var acknowledgedUpTo: Int64 = 0
    var outstanding = 0
    var highestSelectivelyAcknowledged: Int64 = -1
    var recoveryPoint: Int64 = -1
    var congestionWindow: Double
    var slowStartThreshold: Double = .infinity
    var smoothedRTT: Double = -1
    var rttVariation: Double = 0
    var retransmissionTimeout: Int64
    var timerArmed = false
    var timerDeadline = SimTime.zero

    // Receiver.
    var nextExpected: Int64 = 0
    /// Received flags for segments from `nextExpected` on (offset 0 is always false).
    var received = Ring<Bool>()

    init(initialWindow: Int) {
        congestionWindow = Double(initialWindow)
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
        retransmissionTimeout = max(minimum, Int64(smoothedRTT + 4 * rttVariation))
    }
}
