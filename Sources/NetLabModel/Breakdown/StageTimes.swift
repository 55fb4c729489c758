import NetLabCore

/// Picoseconds spent in each ``Stage``: of one message, or summed over many. A fixed-size value
/// (no allocation), so that the engine can keep one per message in flight.
public struct StageTimes: Sendable, Equatable {
    private var storage = InlineArray<14, Int64>(repeating: 0)

    public init() {}

    public subscript(stage: Stage) -> Int64 {
        @inline(__always) get { storage[stage.rawValue] }
        @inline(__always) set { storage[stage.rawValue] = newValue }
    }

    /// All stages together: the latency they account for.
    @inline(__always)
    public var total: Int64 {
        var sum: Int64 = 0
        for index in storage.indices { sum &+= storage[index] }
        return sum
    }

    /// Adds `other`, stage by stage.
    @inline(__always)
    public mutating func add(_ other: borrowing StageTimes) {
        for index in storage.indices { storage[index] &+= other.storage[index] }
    }

    /// Adds a packet's passage, stage by stage.
    @inline(__always)
    mutating func add(_ journey: borrowing PacketJourney) {
        for index in 0..<Stage.journeyCount { storage[index] &+= journey.times[index] }
    }

    /// Sets every stage to zero.
    @inline(__always)
    mutating func clear() {
        for index in storage.indices { storage[index] = 0 }
    }

    public static func == (lhs: StageTimes, rhs: StageTimes) -> Bool {
        for index in lhs.storage.indices where lhs.storage[index] != rhs.storage[index] { return false }
        return true
    }
}

/// One packet's passage so far: picoseconds in each of the packet stages (the first
/// ``Stage/journeyCount`` stages), when it left, and the instant up to which they are accounted.
struct PacketJourney {
    var times = InlineArray<8, Int64>(repeating: 0)
    var mark: SimTime
    private(set) var launched: SimTime

    init(at mark: SimTime) {
        self.mark = mark
        launched = mark
    }

    /// Starts over for a packet that leaves at `now`, in place.
    @inline(__always)
    mutating func restart(at now: SimTime) {
        for index in times.indices { times[index] = 0 }
        mark = now
        launched = now
    }

    /// The time from `mark` to `now`, charged to `stage`; accounted up to `now` from here on.
    @inline(__always)
    mutating func charge(_ stage: Stage, until now: SimTime) {
        times[stage.rawValue] &+= (now - mark).picoseconds
        mark = now
    }

    /// Queued until `now`, then `duration` of CPU work shared out as `shares`: accounted up to
    /// the end of that work, as if it started at once (the wait for a core, if any, is charged
    /// when the work is done, by ``charge(_:until:)`` to `.coreWait`). Charged when the work is
    /// submitted, where the hop's record is at hand, rather than when it is done.
    @inline(__always)
    mutating func beginWork(_ duration: Int64, sharedAs shares: WorkShares, at now: SimTime) {
        charge(.queueing, until: now)
        shares.charge(duration, to: &times)
        mark = SimTime(picoseconds: now.picoseconds &+ duration)
    }
}

/// A message's (or an rpc call's) stages so far, and the instant up to which they are accounted.
struct MessageTimes {
    var stages = StageTimes()
    var mark: SimTime
    /// The piece of work submitted for it (a send or receive call), and the part of it that wakes
    /// the thread, before the host's variability: to tell the wake-up apart when it is done.
    var plannedWork: Int64 = 0
    var plannedWakeup: Int64 = 0

    init(at mark: SimTime) { self.mark = mark }

    mutating func plan(work: Int64, wakeup: Int64) {
        plannedWork = work
        plannedWakeup = wakeup
    }

    /// The time from `mark` to `now`, charged to `stage`; accounted up to `now` from here on.
    @inline(__always)
    mutating func charge(_ stage: Stage, until now: SimTime) {
        stages[stage] &+= (now - mark).picoseconds
        mark = now
    }
}
