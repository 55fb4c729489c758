import NetLabCore
import NetLabStats

/// A replay's request-to-reply times, per flow, captured and simulated: from the start of the
/// client's first message since the last reply to the end of the server's last message since
/// then. An exchange ends when the client speaks again, or when the trace ends.
///
/// Captured exchanges are measured at the capture point and, with a capture origin, moved to the
/// client application (the captured path's cost before the point for the request and after it
/// for the reply added): like for like with the simulated ones, which run from the client's
/// first message being sent to the server's last one being delivered.
struct ExchangeTiming {
    private(set) var captured: [LatencyHistogram]
    private(set) var capturedAtApplication: [LatencyHistogram]
    private(set) var simulated: [LatencyHistogram]
    /// Per conversation: the client's first message since the last reply, and the server's last
    /// message since then, as captured.
    private var lastRequest: [ReplaySession.Captured?]
    private var lastReply: [ReplaySession.Captured?]
    /// Per conversation: when the client's first message since the last reply was injected, and
    /// when the server's last message since then was delivered.
    private var requestInjected: [SimTime?]
    private var replyDelivered: [SimTime?]

    init(conversations: Int, flows: Int) {
        captured = Array(repeating: LatencyHistogram(), count: flows)
        capturedAtApplication = captured
        simulated = captured
        lastRequest = Array(repeating: nil, count: conversations)
        lastReply = lastRequest
        requestInjected = Array(repeating: nil, count: conversations)
        replyDelivered = requestInjected
    }

    /// `message` of `conversation` (of `flow`) is complete in the capture.
    mutating func captured(
        _ message: ReplaySession.Captured, conversation: Int, flow: Int, application: inout ApplicationTiming
    ) {
        if message.fromA {
            // The client speaks again: the exchange before, if answered, is complete.
            if lastReply[conversation] != nil { endCaptured(conversation, flow: flow, application: &application) }
            if lastRequest[conversation] == nil { lastRequest[conversation] = message }
        } else if lastRequest[conversation] != nil {
            lastReply[conversation] = message
        }
    }

    /// Records the conversation's captured exchange, if it has one under way.
    mutating func endCaptured(_ conversation: Int, flow: Int, application: inout ApplicationTiming) {
        guard let request = lastRequest[conversation], let reply = lastReply[conversation] else { return }
        let seen = (reply.last - request.start) * 1000
        captured[flow].record(picoseconds: seen)
        if application.corrects {
            let before = application.costBeforeCapture(flow: flow, fromServer: false, bytes: request.bytes)
            let after = application.costAfterCapture(flow: flow, fromServer: true, bytes: reply.bytes)
            capturedAtApplication[flow].record(picoseconds: seen + before + after)
        }
        lastRequest[conversation] = nil
        lastReply[conversation] = nil
    }

    /// The client's message of `conversation` (of `flow`) is injected into the simulation `now`.
    mutating func clientInjected(conversation: Int, flow: Int, now: SimTime) {
        if replyDelivered[conversation] != nil { endSimulated(conversation, flow: flow) }
        if requestInjected[conversation] == nil { requestInjected[conversation] = now }
    }

    /// The server's message of `conversation` was delivered at `time`.
    mutating func serverDelivered(conversation: Int, at time: SimTime) {
        if requestInjected[conversation] != nil { replyDelivered[conversation] = time }
    }

    /// Records the conversation's simulated exchange, if it has one under way.
    mutating func endSimulated(_ conversation: Int, flow: Int) {
        guard let injected = requestInjected[conversation], let delivered = replyDelivered[conversation] else { return }
        simulated[flow].record(picoseconds: (delivered - injected).picoseconds)
        requestInjected[conversation] = nil
        replyDelivered[conversation] = nil
    }
}
