/// The queues of one connection half (``HalfConnection``) that are empty nearly all the time:
/// handles into the run's ``HalfConnectionRings``.
struct HalfQueues {
    /// Messages whose write waits for room in the send buffer, in order.
    var blockedWrites = PooledRing()
    /// TCP: messages handed to TCP, not yet cut into segments: (handle, bytes left); only while
    /// the window holds them back.
    var unsent = PooledRing()
    /// TCP: ACKs that reached the sender and wait out their processing jitter.
    var arrivedAcks = PooledRing()
    /// TCP: received flags for segments from `nextExpected` on (offset 0 is always false).
    var received = PooledRing()

    /// Whether every queue is empty.
    var isIdle: Bool {
        blockedWrites.isEmpty && unsent.isEmpty && arrivedAcks.isEmpty && received.isEmpty
    }
}

/// The queue sets of the halves that hold something in them. A cluster holds hundreds of
/// thousands of halves, and these queues fill only for moments (a write blocked, a window full,
/// an ACK waiting out its jitter, a segment out of order): four handles each (64 bytes) per half
/// would be held in vain, so a half holds a set only from its first append until the set's queues
/// are empty again, and the set then goes back for another half. The pool keeps as many sets as
/// halves were busy at once.
struct HalfQueuePool {
    /// The sets, by slot: changed in place through a half's slot (`GroupingRun.queueSlot(ofHalf:)`).
    var sets = ContiguousArray<HalfQueues>()
    private var free: [Int32] = []

    /// The queues at `slot`, or an idle set for -1 (a half that holds none).
    subscript(slot: Int32) -> HalfQueues {
        @inline(__always) get { slot < 0 ? HalfQueues() : sets[Int(slot)] }
    }

    /// A set for a half that holds none: one given back earlier, or a new one.
    mutating func take() -> Int32 {
        if let slot = free.popLast() { return slot }
        precondition(sets.count < Int(Int32.max), "more than 2^31 busy connection halves")
        sets.append(HalfQueues())
        return Int32(sets.count - 1)
    }

    /// Takes back the set at `slot`, whose queues are all empty.
    mutating func giveBack(_ slot: Int32) {
        free.append(slot)
    }
}

extension GroupingRun {
    /// `half`'s queues as they stand (all empty when it holds no set).
    @inline(__always)
    func queues(ofHalf half: Int) -> HalfQueues { halfQueues[halves[half].queues] }

    /// The slot of `half`'s queue set in `halfQueues.sets`, taking one when it holds none: what
    /// an append to one of its queues goes through.
    @inline(__always)
    mutating func queueSlot(ofHalf half: Int) -> Int {
        if halves[half].queues < 0 { halves[half].queues = halfQueues.take() }
        return Int(halves[half].queues)
    }

    /// Gives `half`'s queue set back when all its queues are empty: called where queues drain.
    @inline(__always)
    mutating func releaseQueuesIfIdle(half: Int) {
        let slot = halves[half].queues
        guard slot >= 0, halfQueues.sets[Int(slot)].isIdle else { return }
        halfQueues.giveBack(slot)
        halves[half].queues = -1
    }
}
