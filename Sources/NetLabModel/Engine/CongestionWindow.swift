import NetLabCore
import RealModule

/// A TCP congestion window in segments: slow start, then Reno's linear growth (RFC 5681) or
/// CUBIC's (RFC 9438), and the reductions on loss and on timeout.
struct CongestionWindow {
    var segments: Double
    var slowStartThreshold: Double = .infinity
    // CUBIC (RFC 9438 §4): the window before the last reduction, when the current epoch began,
    // the time K to regrow to it, and the Reno-friendly estimate.
    var cubicMaximum: Double = 0
    var cubicLastMaximum: Double = 0
    /// In picoseconds; negative while no epoch runs (a sentinel, not an optional: a cluster holds
    /// two windows per connection by the hundred thousand, and the optional's flag costs 8 bytes).
    var epochStart: Int64 = -1
    var cubicPeriod: Double = 0
    var renoEstimate: Double = 0

    static let cubicC = 0.4
    static let cubicBeta = 0.7

    init(initial: Double) { segments = initial }

    /// `acknowledged` segments newly delivered outside recovery, `now`, and the smoothed RTT in ps.
    mutating func grow(acknowledged: Int, now: SimTime, smoothedRTT: Double, algorithm: CongestionControl) {
        let count = Double(acknowledged)
        if segments < slowStartThreshold {
            // Appropriate byte counting, at most 2 segments per ACK (RFC 3465).
            segments += min(count, 2)
            return
        }
        switch algorithm {
        case .reno, .bbr:  // BBR sets its window itself (``BBR``); never called for it
            segments += count / segments
        case .cubic:
            if epochStart < 0 {
                epochStart = now.picoseconds
                if segments < cubicMaximum {
                    cubicPeriod = Double.root((cubicMaximum - segments) / Self.cubicC, 3)
                } else {
                    cubicPeriod = 0
                    cubicMaximum = segments
                }
                renoEstimate = segments
            }
            let rtt = max(smoothedRTT, 0) / 1e12
            let elapsed = Double(now.picoseconds - epochStart) / 1e12
            let offset = elapsed + rtt - cubicPeriod
            let target = min(Self.cubicC * offset * offset * offset + cubicMaximum, 1.5 * segments)
            let alpha = 3 * (1 - Self.cubicBeta) / (1 + Self.cubicBeta)
            renoEstimate += alpha * count / segments
            if renoEstimate > target {
                segments += max(0, renoEstimate - segments) * count / segments
            } else if target > segments {
                segments += (target - segments) / segments * count
            } else {
                segments += 0.01 * count / segments
            }
        }
    }

    /// A loss detected by acknowledgements: multiplicative decrease.
    mutating func reduce(algorithm: CongestionControl) {
        switch algorithm {
        case .reno, .bbr:
            slowStartThreshold = max(segments / 2, 2)
        case .cubic:
            // Fast convergence (RFC 9438 §4.7).
            cubicMaximum = segments < cubicLastMaximum ? segments * (1 + Self.cubicBeta) / 2 : segments
            cubicLastMaximum = segments
            slowStartThreshold = max(segments * Self.cubicBeta, 2)
            epochStart = -1
        }
        segments = slowStartThreshold
    }

    /// A retransmission timeout: the threshold as on loss, the window back to one segment.
    mutating func collapse(algorithm: CongestionControl) {
        reduce(algorithm: algorithm)
        segments = 1
    }
}
