import NetLabCore

/// Latency by stage (``Stage``): every packet, message and call in flight carries the time it has
/// spent in each stage so far, in side tables beside their pools (``SideTable``, indexed by the same
/// handles, so the pooled records stay small and nothing is allocated per event); only packets
/// that can complete a message are timed. Each change of stage charges the
/// time since the last one, so a message's stages always add up to its age; when a message
/// completes, its stages go into its flow's ``LatencyBreakdown``. A multi-packet message takes the
/// passage of the packet that completed it (the critical one); the time before that packet left is
/// the transport's.
extension GroupingRun {
    /// The parts of a CPU hop's cost, by stage, in picoseconds, as the profile states them; summed
    /// while a path is planned, then kept in the hop as ``WorkShares``.
    struct HopParts {
        var stack: Int64 = 0
        var devices: Int64 = 0
        var netfilter: Int64 = 0
        var overlay: Int64 = 0

        var total: Int64 { stack + devices + netfilter + overlay }

        static func + (lhs: HopParts, rhs: HopParts) -> HopParts {
            HopParts(
                stack: lhs.stack + rhs.stack, devices: lhs.devices + rhs.devices,
                netfilter: lhs.netfilter + rhs.netfilter, overlay: lhs.overlay + rhs.overlay)
        }
    }

    /// Starts the record of a packet just put on its path.
    @inline(__always)
    func beginJourney(of packet: Int32, at now: SimTime) {
        let index = Int(packet)
        if index < journeys.count {
            journeys[index].restart(at: now)
        } else {
            journeys.store(PacketJourney(at: now), at: index)
        }
    }

    /// Starts the record of a call created now.
    @inline(__always)
    func beginTimes(ofCall handle: Int32, at now: SimTime) {
        callTimes.store(MessageTimes(at: now), at: Int(handle))
    }

    /// Starts the record of a message created now; a request or response carries what its
    /// call (`call`, or -1) has spent so far (the response: the request and the server; the
    /// request: a new connection's handshake, as transport).
    @inline(__always)
    func beginTimes(ofMessage handle: Int32, at now: SimTime, call: Int32) {
        let index = Int(handle)
        if index >= messageTimes.count { messageTimes.store(MessageTimes(at: now), at: index) }
        if call >= 0 {
            messageTimes[index].stages = callTimes[Int(call)].stages
            messageTimes[index].stages[.transport] &+= (now - callTimes[Int(call)].mark).picoseconds
        } else {
            messageTimes[index].stages.clear()
        }
        messageTimes[index].mark = now
        messageTimes[index].plannedWakeup = 0
    }

    /// Charges the piece of work that just finished (``finishedWork``, `duration` long) to a
    /// message's or call's record: the wait for a core or thread before it ran, its wake-up (its
    /// planned share of the work as the host's variability did it), and the rest to `stage`.
    /// Static, so that the record, held in `self`, is the only access.
    @inline(__always)
    static func charge(_ duration: Int64, to record: inout MessageTimes, as stage: Stage, now: SimTime) {
        let elapsed = (now - record.mark).picoseconds
        let planned = record.plannedWork
        let wakeup =
            record.plannedWakeup == 0 || duration == planned
            ? record.plannedWakeup
            : min(duration, Int64(saturating: Double(record.plannedWakeup) * Double(duration) / Double(planned)))
        record.plannedWakeup = 0
        record.stages[.coreWait] &+= elapsed - duration
        record.stages[.wakeup] &+= wakeup
        record.stages[stage] &+= duration - wakeup
        record.mark = now
    }

    /// Charges a packet's passage over `link`, settled when it is queued: waiting from `now` until
    /// `sending` (a shaper's wait for tokens included), serialisation until `finish`, then
    /// propagation (the receiving NIC's interrupt delay is the devices').
    @inline(__always)
    func chargePassage(of packet: Int32, link: Int, now: Int64, sending: Int64, finish: Int64) {
        let index = Int(packet)
        var journey = journeys[index]
        let propagation = links[link].propagation
        let interrupt = links[link].interruptDelay
        journey.times[Stage.queueing.rawValue] &+= sending - now
        journey.times[Stage.serialization.rawValue] &+= finish - sending
        journey.times[Stage.propagation.rawValue] &+= propagation - interrupt
        journey.times[Stage.devices.rawValue] &+= interrupt
        journey.mark = SimTime(picoseconds: finish + propagation)
        journeys[index] = journey
    }

    /// The packet that completes a message arrived (`packet`, just freed: this must come before
    /// anything that can launch another and reuse the handle): its passage becomes the message's,
    /// and the time since the message's mark until that packet left is charged `waitedAs` (the
    /// transport for a datagram or IPC message; for a TCP segment, whose first sending already
    /// charged the transport, loss recovery until a later copy left).
    @inline(__always)
    func absorb(journeyOf packet: Int32, intoMessage handle: Int32, waitedAs stage: Stage, now: SimTime) {
        let journey = journeys[Int(packet)]
        let index = Int(handle)
        messageTimes[index].charge(stage, until: journey.launched)
        messageTimes[index].stages.add(journey)
        messageTimes[index].mark = now
    }
}
