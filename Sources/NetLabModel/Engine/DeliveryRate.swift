import NetLabCore

/// How fast one direction of a connection delivers data, measured per acknowledgement as TCP's
/// delivery-rate estimation does (draft-cheng-iccrg-delivery-rate-estimation; Linux's
/// `tcp_rate.c`): each segment remembers, when sent, how much had been delivered and when; the
/// acknowledgement of the most recently sent of them gives the data delivered over the longer of
/// the send and the acknowledgement intervals. BBR builds its bandwidth estimate from these samples.
struct DeliveryRate {
    /// Segments delivered (cumulatively or selectively acknowledged) so far.
    var delivered: Int64 = 0
    /// When `delivered` last grew.
    var deliveredTime = SimTime.zero
    /// The send time of the segment whose delivery started the current send interval.
    var firstSentTime = SimTime.zero
    /// Non-zero while the sender has had less to send than its window allowed: the `delivered`
    /// count past which that period's samples are no longer application-limited.
    var appLimitedUntil: Int64 = 0

    /// What one segment records when it is sent.
    struct Stamp {
        var delivered: Int64
        var deliveredTime: SimTime
        var firstSentTime: SimTime
        var appLimited: Bool

        /// The stamp of a segment not yet sent.
        static let none = Stamp(delivered: 0, deliveredTime: .zero, firstSentTime: .zero, appLimited: false)
    }

    /// One acknowledgement's sample, built from every segment it newly reports delivered.
    struct Sample {
        /// The send order of the most recently sent segment taken, and its stamp; -1 until one is.
        var transmission: Int64 = -1
        var stamp = Stamp(delivered: 0, deliveredTime: .zero, firstSentTime: .zero, appLimited: false)
        var sentAt = SimTime.zero
        /// Segments this acknowledgement newly reports delivered, and the smallest RTT among
        /// those sent once (ps, or -1).
        var acknowledged = 0
        var rtt: Int64 = -1
        /// Segments found lost while processing this acknowledgement.
        var losses = 0
        /// Filled in by ``DeliveryRate/finish(_:now:minimumInterval:)``: segments delivered over
        /// `interval` ps (no rate when `interval` is not positive).
        var deliveredSegments: Int64 = 0
        var interval: Int64 = 0

        var segmentsPerSecond: Double {
            interval > 0 ? Double(deliveredSegments) / (Double(interval) / 1e12) : 0
        }
    }

    /// The stamp for a segment sent now; the send interval restarts when nothing is in flight.
    mutating func stamp(now: SimTime, nothingInFlight: Bool) -> Stamp {
        if nothingInFlight {
            firstSentTime = now
            deliveredTime = now
        }
        return Stamp(
            delivered: delivered, deliveredTime: deliveredTime, firstSentTime: firstSentTime,
            appLimited: appLimitedUntil != 0)
    }

    /// Counts one newly delivered segment into the count and into `sample`.
    mutating func take(
        _ stamp: Stamp, sentAt: SimTime, transmission: Int64, resent: Bool, now: SimTime, into sample: inout Sample
    ) {
        delivered += 1
        deliveredTime = now
        sample.acknowledged += 1
        if !resent {
            let rtt = (now - sentAt).picoseconds
            sample.rtt = sample.rtt < 0 ? rtt : min(sample.rtt, rtt)
        }
        guard transmission > sample.transmission else { return }
        sample.transmission = transmission
        sample.stamp = stamp
        sample.sentAt = sentAt
        firstSentTime = sentAt
    }

    /// Completes `sample` once every segment of the acknowledgement is taken. An interval shorter
    /// than the path's smallest RTT cannot be a real rate (ACK compression) and gives none.
    mutating func finish(_ sample: inout Sample, now: SimTime, minimumInterval: Int64) {
        if appLimitedUntil != 0, delivered > appLimitedUntil { appLimitedUntil = 0 }
        guard sample.transmission >= 0 else { return }
        let sendInterval = (sample.sentAt - sample.stamp.firstSentTime).picoseconds
        let ackInterval = (now - sample.stamp.deliveredTime).picoseconds
        sample.deliveredSegments = delivered - sample.stamp.delivered
        sample.interval = max(sendInterval, ackInterval)
        if sample.interval < minimumInterval { sample.interval = 0 }
    }
}
