import NetLabCore

/// BBR's side of TCP: delivery-rate samples, its model update on each acknowledgement, and pacing.
/// Linux paces BBR itself (without the `fq` qdisc): a burst of segments goes out, and the next
/// waits until the burst's length at the pacing rate has passed, on a high-resolution timer that
/// runs `pacingTimerDelay` late on a real host.
extension GroupingRun {
    /// Counts a newly delivered segment into this acknowledgement's delivery-rate sample.
    mutating func takeDelivery(
        half: Int, _ record: HalfConnection.Segment, offset: Int, now: SimTime, _ sample: inout DeliveryRate.Sample
    ) {
        let pacer = Int(halves[half].pacer)
        pacers[pacer].deliveryRate.take(
            pacers[pacer].stamps[offset], sentAt: record.sentAt, transmission: record.transmission,
            resent: record.retransmitted,
            now: now, into: &sample)
    }

    /// Completes the sample and lets BBR update its model, pacing rate and window.
    mutating func updateBBR(half: Int, _ sample: inout DeliveryRate.Sample, now: SimTime) {
        let index = Int(halves[half].pacer)
        var pacer = pacers[index]
        halves[half].updateBBR(
            &pacer, &sample, now: now, segmentBytes: connections[half / 2].segmentPayload,
            initialWindow: profile.tcpInitialWindow)
        pacers[index] = pacer
    }

    /// The rate `half` is paced at (0 when it is not paced: reno and cubic send as the window
    /// allows).
    @inline(__always)
    func pacingRate(ofHalf half: Int) -> Double {
        let index = Int(halves[half].pacer)
        return index < 0 ? 0 : pacers[index].bbr.pacingRate
    }

    /// Charges a segment of `payload` bytes to the pacing budget: it opens a burst if none is
    /// open, and moves the next allowed send on by its length at the pacing rate (never
    /// catching up on time a late timer lost, as Linux does not).
    mutating func pace(half: Int, payload: Int64, now: SimTime) {
        let segmentBytes = connections[half / 2].segmentPayload
        let pacer = Int(halves[half].pacer)
        if pacers[pacer].burstLeft <= 0 {
            pacers[pacer].burstLeft = pacers[pacer].bbr.burstSegments(segmentBytes: segmentBytes)
            pacers[pacer].nextSendTime = max(now, pacers[pacer].nextSendTime)
        }
        pacers[pacer].burstLeft -= 1
        let rate = max(pacers[pacer].bbr.pacingRate, 1)
        let gap = Self.clamped(Double(payload) / rate * 1e12, 0, Double(SimDuration.seconds(1).picoseconds))
        pacers[pacer].nextSendTime = pacers[pacer].nextSendTime + SimDuration(picoseconds: Int64(saturating: gap))
    }

    /// Sets the pacing timer for the next allowed send, unless it is already set for then.
    mutating func armPacingTimer<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        let pacer = Int(halves[half].pacer)
        let at = pacers[pacer].nextSendTime + profile.pacingTimerDelay
        guard !pacers[pacer].pacingTimerArmed || pacers[pacer].pacingTimerAt != at else { return }
        pacers[pacer].pacingTimerArmed = true
        pacers[pacer].pacingTimerAt = at
        simulation.schedule(EventAction(kind: EventKind.pacingTimer.rawValue, target: UInt32(half)), at: at)
    }

    /// The pacing timer: sending goes on (events for a superseded time are ignored).
    mutating func pacingTimerFired<Queue: EventQueue>(half: Int, _ simulation: inout Simulation<Queue>) {
        let pacer = Int(halves[half].pacer)
        guard pacer >= 0, pacers[pacer].pacingTimerArmed, simulation.now == pacers[pacer].pacingTimerAt else { return }
        pacers[pacer].pacingTimerArmed = false
        trySend(half: half, &simulation)
    }
}

extension HalfConnection {
    /// BBR's update for one acknowledgement, of this half's `pacer` (see
    /// ``GroupingRun/updateBBR(half:_:now:)``).
    mutating func updateBBR(
        _ pacer: inout Pacer, _ sample: inout DeliveryRate.Sample, now: SimTime, segmentBytes: Int64,
        initialWindow: Int
    ) {
        pacer.deliveryRate.finish(
            &sample, now: now, minimumInterval: pacer.bbr.minimumRTT == .max ? 0 : pacer.bbr.minimumRTT)
        let lossState: BBR.LossState = recoveringFromTimeout ? .timeout : inFastRecovery ? .recovery : .open
        pacer.bbr.acknowledged(
            sample, delivered: pacer.deliveryRate.delivered, appLimitedUntil: &pacer.deliveryRate.appLimitedUntil,
            inFlight: inFlight, lossState: lossState, now: now, window: &window.segments, segmentBytes: segmentBytes,
            initialWindow: initialWindow, smoothedRTT: smoothedRTT)
    }
}

/// A BBR half-connection's model of the path and the delivery-rate samples it is built from,
/// kept apart from the half's own record (``HalfConnection/pacer``) so that the halves of reno
/// and cubic connections, most of a cluster, do not carry its 240 bytes.
struct Pacer {
    var bbr: BBR
    var deliveryRate = DeliveryRate()
    /// What had been delivered when each segment of the half's `segments` was last sent, offset
    /// for offset.
    var stamps = Ring<DeliveryRate.Stamp>()
    /// Pacing: the next send allowed, segments left in the current offload burst, and the
    /// pacing timer.
    var nextSendTime = SimTime.zero
    var burstLeft = 0.0
    var pacingTimerAt = SimTime.zero
    var pacingTimerArmed = false
}
