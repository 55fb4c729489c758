import NetLabCore

/// Causal replay's bookkeeping per conversation: a conversation's first message goes at its
/// captured time, each later one only once the one before it is delivered, after the gap the
/// capture shows between them. This holds the messages read but not yet due, the one in flight,
/// the last delivered, and which conversations wait for a message the capture has not shown yet.
struct CausalSchedule {
    /// A message due after a delivery, with what its gap is measured from.
    struct Next {
        var message: ReplaySession.Captured
        /// The message delivered before it, if any.
        var previous: ReplaySession.Captured?
        /// When that one was delivered (simulated), and where it ended in the capture (ns).
        var previousDelivery: SimTime
        var previousCapturedEnd: Int64
        /// Where the last message the receiver of `previous` sent before it ended in the capture
        /// (ns), or nil if that side had sent nothing: its idle spell is from there.
        var receiverLastSentEnd: Int64?
    }

    /// Whether each conversation's first message has been scheduled.
    private var started: [Bool]
    /// Messages read but not yet due, per conversation, read from `pendingHead` on (a queue
    /// without the O(n) cost of removing an array's first element).
    private var pending: [[ReplaySession.Captured]]
    private var pendingHead: [Int]
    /// The message a conversation has scheduled or in flight.
    private var current: [ReplaySession.Captured?]
    /// The message a conversation delivered last, when, and its captured end.
    private var lastDelivered: [ReplaySession.Captured?]
    private var lastDelivery: [SimTime]
    private var lastCapturedEnd: [Int64]
    /// Per conversation, the captured end of the last delivered message from each side (ns),
    /// or -1 before the first.
    private var lastEndFromA: [Int64]
    private var lastEndFromB: [Int64]
    private var waiting: Set<Int> = []
    /// For each waiting conversation, last delivery minus the simulated time of its last
    /// captured message end (ps): its next message is due at this plus the simulated time of
    /// that message's captured start.
    private var waitingOffsets: LazyMinimum

    init(conversations: Int) {
        started = Array(repeating: false, count: conversations)
        pending = Array(repeating: [], count: conversations)
        pendingHead = Array(repeating: 0, count: conversations)
        current = Array(repeating: nil, count: conversations)
        lastDelivered = Array(repeating: nil, count: conversations)
        lastDelivery = Array(repeating: .zero, count: conversations)
        lastCapturedEnd = Array(repeating: 0, count: conversations)
        lastEndFromA = Array(repeating: -1, count: conversations)
        lastEndFromB = Array(repeating: -1, count: conversations)
        waitingOffsets = LazyMinimum(count: conversations)
    }

    func hasStarted(_ conversation: Int) -> Bool { started[conversation] }

    /// The conversation's first message, scheduled at its captured time.
    mutating func start(_ message: ReplaySession.Captured, conversation: Int) {
        started[conversation] = true
        current[conversation] = message
    }

    /// A later message, read from the capture; returns whether the conversation was waiting for
    /// it (so it is due now).
    mutating func hold(_ message: ReplaySession.Captured, conversation: Int) -> Bool {
        pending[conversation].append(message)
        return waiting.contains(conversation)
    }

    func hasPending(_ conversation: Int) -> Bool { pendingHead[conversation] < pending[conversation].count }

    /// Takes the conversation's next message to schedule, or nil if none is read yet.
    mutating func takeNext(_ conversation: Int) -> Next? {
        guard hasPending(conversation) else { return nil }
        waiting.remove(conversation)
        waitingOffsets.remove(conversation)
        let next = pending[conversation][pendingHead[conversation]]
        pendingHead[conversation] += 1
        if pendingHead[conversation] == pending[conversation].count {
            pending[conversation].removeAll(keepingCapacity: true)
            pendingHead[conversation] = 0
        }
        current[conversation] = next
        let previous = lastDelivered[conversation]
        let receiverEnd = previous.map { $0.fromA ? lastEndFromB[conversation] : lastEndFromA[conversation] } ?? -1
        return Next(
            message: next, previous: previous, previousDelivery: lastDelivery[conversation],
            previousCapturedEnd: lastCapturedEnd[conversation],
            receiverLastSentEnd: receiverEnd >= 0 ? receiverEnd : nil)
    }

    /// The conversation's message in flight was delivered at `time`; returns the captured end
    /// of the last message delivered.
    mutating func delivered(_ conversation: Int, at time: SimTime) -> Int64 {
        lastDelivery[conversation] = time
        if let message = current[conversation] {
            if message.fromA {
                lastEndFromA[conversation] = message.last
            } else {
                lastEndFromB[conversation] = message.last
            }
        }
        lastCapturedEnd[conversation] = current[conversation]?.last ?? lastCapturedEnd[conversation]
        lastDelivered[conversation] = current[conversation] ?? lastDelivered[conversation]
        current[conversation] = nil
        return lastCapturedEnd[conversation]
    }

    /// The conversation waits for a message not read yet; `offset` is as `waitingOffsets` says.
    mutating func wait(_ conversation: Int, offset: Int64) {
        waiting.insert(conversation)
        waitingOffsets.set(conversation, to: offset)
    }

    /// The smallest offset of any waiting conversation, or nil if none waits.
    mutating func earliestWaitingOffset() -> Int64? { waitingOffsets.minimum() }

    /// The trace has ended: nothing more will be read, so nothing waits.
    mutating func stopWaiting() {
        waiting.removeAll()
        waitingOffsets = LazyMinimum(count: started.count)
    }
}
