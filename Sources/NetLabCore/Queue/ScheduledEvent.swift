/// What an event does, as plain data: the model decides what `kind`, `target` and `argument` mean
/// (say kind 3 = "packet leaves stage", target = stage handle, argument = packet handle).
///
/// Events carry no closures and no references, so scheduling one costs no allocation and no
/// reference counting; 16 bytes of payload keep a queue entry at 32 bytes.
public struct EventAction: Hashable, Sendable {
    public var kind: UInt32
    public var target: UInt32
    public var argument: UInt64

    @inlinable
    public init(kind: UInt32, target: UInt32 = 0, argument: UInt64 = 0) {
        self.kind = kind
        self.target = target
        self.argument = argument
    }
}

/// An event in a queue: its time, its insertion sequence number (the tie-breaker that makes equal
/// times run first-in first-out) and its action.
public struct ScheduledEvent: Sendable {
    public var time: SimTime
    public var sequence: UInt64
    public var action: EventAction

    @inlinable
    public init(time: SimTime, sequence: UInt64, action: EventAction) {
        self.time = time
        self.sequence = sequence
        self.action = action
    }

    /// The total order of events: by time, then by insertion.
    @inlinable
    public func runsBefore(_ other: ScheduledEvent) -> Bool {
        time.picoseconds < other.time.picoseconds
            || (time.picoseconds == other.time.picoseconds && sequence < other.sequence)
    }
}

/// Identifies a scheduled event so that it can be cancelled.
public struct EventID: Hashable, Sendable {
    public var time: SimTime
    public var sequence: UInt64

    @inlinable
    public init(time: SimTime, sequence: UInt64) {
        self.time = time
        self.sequence = sequence
    }
}
