import NetLabCore

/// BBR version 1 congestion control as Linux's `tcp_bbr.c` runs it (Cardwell et al., "BBR:
/// Congestion-Based Congestion Control", ACM Queue 14(5), 2016): a model of the path, not a
/// reaction to loss. The bottleneck bandwidth is the largest delivery rate of the last ten round
/// trips, the propagation delay the smallest RTT of the last ten seconds; the sender paces at a
/// gain times that bandwidth and keeps at most a gain times their product in flight. It starts up
/// (doubling the rate each round until the bandwidth stops growing by a quarter for three rounds),
/// drains the queue that made, then cycles its pacing gain (1.25, 0.75, then 1 for six rounds) to
/// probe for more bandwidth, and every ten seconds without a new smallest RTT drops to four
/// segments for 200 ms to measure it afresh.
struct BBR {
    enum Mode: UInt8 { case startup, drain, probeBandwidth, probeRTT }
    /// TCP's loss state as BBR sees it: open, fast recovery, or after a retransmission timeout.
    enum LossState: UInt8 { case open, recovery, timeout }

    /// 2/ln 2: the smallest gain that doubles the delivery rate each round trip.
    static let highGain = 2.885
    static let drainGain = 1 / 2.885
    static let bandwidthWindowRounds: Int64 = 10
    static let minimumRTTWindow = SimDuration.seconds(10).picoseconds
    static let probeRTTTime = SimDuration.milliseconds(200).picoseconds
    static let minimumWindow = 4.0
    /// Linux paces 1% below the estimate, so that the queue it probes into drains.
    static let pacingMargin = 0.99
    static let cycleLength = 8

    /// Whether the host sends paced data in offload bursts (Linux's TSO autosizing) or segment
    /// by segment (an ideal host, as ns-3 does).
    var offloadBursts = true
    /// The phase of the gain cycle that bandwidth probing starts in (Linux draws it at random,
    /// never the 0.75 one; netlab takes it from the connection's number, so that runs repeat and
    /// connections sharing a bottleneck do not probe in step).
    var firstCycleIndex = 2
    var mode = Mode.startup
    var pacingGain = highGain
    var windowGain = highGain
    /// Delivery rate, segments per second, over the last ten rounds.
    var bandwidth = WindowedMaximum()
    /// The smallest RTT (ps) and when it was taken.
    var minimumRTT = Int64.max
    var minimumRTTStamp = SimTime.zero
    var roundCount: Int64 = 0
    var nextRoundDelivered: Int64 = 0
    var roundStart = false
    var fullBandwidth = 0.0
    var fullBandwidthRounds = 0
    var filledPipe = false
    var cycleIndex = 0
    var cycleStamp = SimTime.zero
    var probeRTTDone: SimTime? = nil
    var probeRTTRoundDone = false
    /// The window to return to after recovery or an RTT probe.
    var priorWindow = 0.0
    var packetConservation = false
    var lastLossState = LossState.open
    var seenRTT = false
    /// Bytes per second; 0 until the first send sets it from the initial window.
    var pacingRate = 0.0
    /// ACK aggregation (Linux's `bbr_update_ack_aggregation`, since 5.1; ns-3's TcpBbr too):
    /// the most data acknowledged beyond what the bandwidth estimate explains, in each of two
    /// windows of five rounds, which the window keeps room for.
    var extraAcked = (0.0, 0.0)
    var extraAckedIndex = 0
    var extraAckedRounds = 0
    /// The current aggregation epoch: when it began and the segments acknowledged since.
    var ackEpochStamp = SimTime.zero
    var ackEpochAcked = 0.0

    /// A connection's BBR before its first acknowledgement. Its minimum RTT starts as the
    /// handshake's round trip where there is one (`handshakeRTT`, ps, taken at `now`): Linux's
    /// `bbr_init` takes the connection's smallest RTT so far, which is the SYN's, and ns-3's TcpBbr
    /// its last one, the same. A SYN is small, so it measures the path without a full segment's
    /// serialisation or the queue that data builds; connections that share a bottleneck from the
    /// start so begin with the same estimate instead of one that includes the other's first packet.
    init(offloadBursts: Bool = true, firstCycleIndex: Int = 2, handshakeRTT: Int64 = 0, now: SimTime = .zero) {
        self.offloadBursts = offloadBursts
        self.firstCycleIndex = firstCycleIndex
        if handshakeRTT > 0 {
            minimumRTT = handshakeRTT
            minimumRTTStamp = now
        }
    }

    /// The bandwidth estimate in segments per second.
    var bandwidthEstimate: Double { bandwidth.best }

    /// Segments the estimated bandwidth-delay product holds, times `gain`.
    func bandwidthDelayProduct(gain: Double, initialWindow: Int) -> Double {
        guard minimumRTT != .max else { return Double(initialWindow) }
        return (bandwidthEstimate * Double(minimumRTT) / 1e12 * gain).rounded(.up)
    }

    /// The pacing rate before any RTT is known: the initial window per millisecond (or per the
    /// smoothed RTT once there is one), at the startup gain.
    mutating func startPacing(window: Double, segmentBytes: Int64, smoothedRTT: Double) {
        let rtt = smoothedRTT > 0 ? smoothedRTT / 1e12 : 1e-3
        pacingRate = Self.highGain * window * Double(segmentBytes) / rtt
    }

    /// Segments Linux puts in one offload burst at the pacing rate: about a millisecond's worth,
    /// at least two, at most 64 KiB; one where the host makes no offload bursts.
    func burstSegments(segmentBytes: Int64) -> Double {
        guard offloadBursts else { return 1 }
        let bytes = min(pacingRate / 1000, 65_536)
        return max(2, min(bytes / Double(max(segmentBytes, 1)), 127)).rounded(.down)
    }

    /// Takes one acknowledgement: updates the model of the path, the mode, the pacing rate and
    /// the window (`window`, segments).
    mutating func acknowledged(
        _ sample: DeliveryRate.Sample, delivered: Int64, appLimitedUntil: inout Int64, inFlight: Int,
        lossState: LossState, now: SimTime, window: inout Double, segmentBytes: Int64, initialWindow: Int,
        smoothedRTT: Double
    ) {
        updateBandwidth(sample, delivered: delivered)
        updateAckAggregation(sample, now: now, window: window)
        updateCycle(sample, inFlight: inFlight, now: now, initialWindow: initialWindow)
        checkFullBandwidth(sample)
        checkDrain(inFlight: inFlight, now: now, initialWindow: initialWindow)
        updateMinimumRTT(
            sample, delivered: delivered, appLimitedUntil: &appLimitedUntil, inFlight: inFlight, now: now,
            window: &window)
        updateGains()
        if !seenRTT, smoothedRTT > 0 {
            seenRTT = true
            startPacing(window: window, segmentBytes: segmentBytes, smoothedRTT: smoothedRTT)
        }
        let rate = pacingGain * bandwidthEstimate * Double(segmentBytes) * Self.pacingMargin
        if rate > 0, filledPipe || rate > pacingRate { pacingRate = rate }
        setWindow(
            sample, delivered: delivered, inFlight: inFlight, lossState: lossState, window: &window,
            segmentBytes: segmentBytes, initialWindow: initialWindow)
    }

    /// Remembers the window before a loss or timeout reduces it, to return to afterwards.
    mutating func saveWindow(_ window: Double) {
        priorWindow = lastLossState == .open && mode != .probeRTT ? window : max(priorWindow, window)
    }

    private mutating func updateBandwidth(_ sample: DeliveryRate.Sample, delivered: Int64) {
        roundStart = false
        guard sample.transmission >= 0, sample.interval > 0 else { return }  // no valid observation
        if sample.stamp.delivered >= nextRoundDelivered {
            nextRoundDelivered = delivered
            roundCount += 1
            roundStart = true
            packetConservation = false
        }
        let rate = sample.segmentsPerSecond
        if !sample.stamp.appLimited || rate >= bandwidthEstimate {
            bandwidth.update(rate, at: roundCount, window: Self.bandwidthWindowRounds)
        }
    }

    /// Linux's constants: the aggregation window in rounds, the epoch's reset threshold in
    /// segments, and the most the allowance may be, in time at the bandwidth estimate.
    static let extraAckedWindowRounds = 5
    static let ackEpochResetSegments = Double(1 << 20)
    static let extraAckedMaximum = 0.1

    private mutating func updateAckAggregation(_ sample: DeliveryRate.Sample, now: SimTime, window: Double) {
        let acknowledged = Double(sample.acknowledged)
        guard acknowledged > 0, sample.interval > 0 else { return }
        if roundStart {
            extraAckedRounds = min(31, extraAckedRounds + 1)
            if extraAckedRounds >= Self.extraAckedWindowRounds {
                extraAckedRounds = 0
                extraAckedIndex ^= 1
                if extraAckedIndex == 0 { extraAcked.0 = 0 } else { extraAcked.1 = 0 }
            }
        }
        var expected = bandwidthEstimate * Double((now - ackEpochStamp).picoseconds) / 1e12
        if ackEpochAcked <= expected || ackEpochAcked + acknowledged >= Self.ackEpochResetSegments {
            ackEpochAcked = 0
            ackEpochStamp = now
            expected = 0
        }
        ackEpochAcked += acknowledged
        let extra = min(ackEpochAcked - expected, window)
        if extraAckedIndex == 0 {
            extraAcked.0 = max(extraAcked.0, extra)
        } else {
            extraAcked.1 = max(extraAcked.1, extra)
        }
    }

    /// The room the window keeps for acknowledgements that come in bursts, once the pipe is full.
    var aggregationAllowance: Double {
        guard filledPipe else { return 0 }
        return min(max(extraAcked.0, extraAcked.1), bandwidthEstimate * Self.extraAckedMaximum)
    }

    private mutating func updateCycle(
        _ sample: DeliveryRate.Sample, inFlight: Int, now: SimTime, initialWindow: Int
    ) {
        guard mode == .probeBandwidth else { return }
        let fullLength = (now - cycleStamp).picoseconds > minimumRTT
        let advance: Bool
        if pacingGain == 1 {
            advance = fullLength
        } else if pacingGain > 1 {
            // Probe until the extra data is in flight, or losses say there is no room for it.
            advance =
                fullLength
                && (sample.losses > 0
                    || Double(inFlight) >= bandwidthDelayProduct(gain: pacingGain, initialWindow: initialWindow))
        } else {
            advance =
                fullLength || Double(inFlight) <= bandwidthDelayProduct(gain: 1, initialWindow: initialWindow)
        }
        if advance {
            cycleIndex = (cycleIndex + 1) % Self.cycleLength
            cycleStamp = now
        }
    }

    private mutating func checkFullBandwidth(_ sample: DeliveryRate.Sample) {
        guard !filledPipe, roundStart, !sample.stamp.appLimited else { return }
        if bandwidthEstimate >= fullBandwidth * 1.25 {
            fullBandwidth = bandwidthEstimate
            fullBandwidthRounds = 0
            return
        }
        fullBandwidthRounds += 1
        if fullBandwidthRounds >= 3 { filledPipe = true }
    }

    private mutating func checkDrain(inFlight: Int, now: SimTime, initialWindow: Int) {
        if mode == .startup, filledPipe { mode = .drain }
        if mode == .drain, Double(inFlight) <= bandwidthDelayProduct(gain: 1, initialWindow: initialWindow) {
            enterProbeBandwidth(now: now)
        }
    }

    private mutating func enterProbeBandwidth(now: SimTime) {
        mode = .probeBandwidth
        cycleIndex = firstCycleIndex
        cycleStamp = now
    }

    private mutating func updateMinimumRTT(
        _ sample: DeliveryRate.Sample, delivered: Int64, appLimitedUntil: inout Int64, inFlight: Int, now: SimTime,
        window: inout Double
    ) {
        let expired = minimumRTT != .max && (now - minimumRTTStamp).picoseconds > Self.minimumRTTWindow
        if sample.rtt >= 0, sample.rtt < minimumRTT || expired {
            minimumRTT = sample.rtt
            minimumRTTStamp = now
        }
        if expired, mode != .probeRTT {
            mode = .probeRTT
            saveWindow(window)
            probeRTTDone = nil
        }
        guard mode == .probeRTT else { return }
        // The application may not fill the pipe while the window is held down.
        appLimitedUntil = max(delivered + Int64(inFlight), 1)
        if probeRTTDone == nil, Double(inFlight) <= Self.minimumWindow {
            probeRTTDone = now + SimDuration(picoseconds: Self.probeRTTTime)
            probeRTTRoundDone = false
            nextRoundDelivered = delivered
        } else if let done = probeRTTDone {
            if roundStart { probeRTTRoundDone = true }
            if probeRTTRoundDone, now > done {
                minimumRTTStamp = now
                window = max(window, priorWindow)
                if filledPipe { enterProbeBandwidth(now: now) } else { mode = .startup }
            }
        }
    }

    private mutating func updateGains() {
        switch mode {
        case .startup:
            pacingGain = Self.highGain
            windowGain = Self.highGain
        case .drain:
            pacingGain = Self.drainGain
            windowGain = Self.highGain
        case .probeBandwidth:
            pacingGain = cycleIndex == 0 ? 1.25 : cycleIndex == 1 ? 0.75 : 1
            windowGain = 2
        case .probeRTT:
            pacingGain = 1
            windowGain = 1
        }
    }

    private mutating func setWindow(
        _ sample: DeliveryRate.Sample, delivered: Int64, inFlight: Int, lossState: LossState, window: inout Double,
        segmentBytes: Int64, initialWindow: Int
    ) {
        let acknowledged = Double(sample.acknowledged)
        defer {
            lastLossState = lossState
            if mode == .probeRTT { window = min(window, Self.minimumWindow) }
        }
        guard acknowledged > 0 else { return }
        // Recovery: packet conservation for the first round, the old window back afterwards.
        if sample.losses > 0 { window = max(window - Double(sample.losses), 1) }
        if lossState == .recovery, lastLossState != .recovery {
            packetConservation = true
            nextRoundDelivered = delivered
            window = Double(inFlight) + acknowledged
        } else if lastLossState != .open, lossState == .open {
            window = max(window, priorWindow)
            packetConservation = false
        }
        if packetConservation {
            window = max(window, Double(inFlight) + acknowledged)
            return
        }
        // Room for the offload bursts the pacing makes, and for the probing phase's extra data.
        var target =
            bandwidthDelayProduct(gain: windowGain, initialWindow: initialWindow) + aggregationAllowance + 3
            * burstSegments(segmentBytes: segmentBytes)
        if mode == .probeBandwidth, cycleIndex == 0 { target += 2 }
        if filledPipe {
            window = min(window + acknowledged, target)
        } else if window < target || delivered < Int64(initialWindow) {
            window += acknowledged
        }
        window = max(window, Self.minimumWindow)
    }
}
