/// The messages being read from the capture, one per conversation at most: a message is open
/// from its first packet until the other side speaks, a limit cuts it, or the trace ends. Their
/// starts bound how far the simulation may run ahead of the reading.
struct OpenMessages {
    /// The message each conversation is reading, if any, and whether its last packet ended an
    /// application write (TCP PSH).
    private var open: [ReplaySession.Captured?]
    private var lastEndsWrite: [Bool]
    private var conversations: Set<Int> = []
    /// Starts (capture ns) of the open messages that could still be injected at their captured
    /// time: all of them in open mode, first messages in causal mode.
    private var onTimeStarts: LazyMinimum
    /// Starts of every open message.
    private var allStarts: LazyMinimum

    init(conversations: Int) {
        open = Array(repeating: nil, count: conversations)
        lastEndsWrite = Array(repeating: false, count: conversations)
        onTimeStarts = LazyMinimum(count: conversations)
        allStarts = LazyMinimum(count: conversations)
    }

    /// The conversation's open message, if any.
    subscript(conversation: Int) -> ReplaySession.Captured? { open[conversation] }

    /// Whether the open message's last packet ended a write.
    func endsWrite(_ conversation: Int) -> Bool { lastEndsWrite[conversation] }

    /// Adds a packet's payload to the conversation's open message, or opens one with it;
    /// `injectedOnTime` says whether a new message could go at its captured time.
    mutating func add(
        bytes: Int64, fromA: Bool, at time: Int64, endsWrite: Bool, conversation: Int, injectedOnTime: Bool
    ) {
        lastEndsWrite[conversation] = endsWrite
        if open[conversation] != nil {
            open[conversation]!.bytes += bytes
            open[conversation]!.last = time
            return
        }
        open[conversation] = ReplaySession.Captured(fromA: fromA, bytes: bytes, start: time, last: time)
        conversations.insert(conversation)
        allStarts.set(conversation, to: time)
        if injectedOnTime { onTimeStarts.set(conversation, to: time) }
    }

    /// Closes the conversation's open message and returns it, if it had one.
    mutating func close(_ conversation: Int) -> ReplaySession.Captured? {
        guard let message = open[conversation] else { return nil }
        open[conversation] = nil
        conversations.remove(conversation)
        allStarts.remove(conversation)
        onTimeStarts.remove(conversation)
        return message
    }

    /// The conversations with an open message, in order.
    var openConversations: [Int] { conversations.sorted() }

    /// The earliest start of an open message that could go at its captured time.
    mutating func earliestOnTimeStart() -> Int64? { onTimeStarts.minimum() }

    /// The earliest start of any open message.
    mutating func earliestStart() -> Int64? { allStarts.minimum() }
}
