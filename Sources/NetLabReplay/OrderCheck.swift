/// Whether a replay kept each conversation's order: a message injected while its conversation
/// still has one in flight the other way (the replayed application would have had to answer
/// before it had the question) counts as a violation.
struct OrderCheck {
    /// Per conversation: messages injected and not yet delivered, and the side that sent last.
    var inFlight: [Int]
    var lastInjectedFromA: [Bool]
    private(set) var violations = 0

    init(conversations: Int) {
        inFlight = Array(repeating: 0, count: conversations)
        lastInjectedFromA = Array(repeating: true, count: conversations)
    }

    mutating func injected(conversation: Int, fromServer: Bool) {
        if inFlight[conversation] > 0, lastInjectedFromA[conversation] == fromServer { violations += 1 }
        inFlight[conversation] += 1
        lastInjectedFromA[conversation] = !fromServer
    }

    mutating func delivered(conversation: Int) { inFlight[conversation] -= 1 }
}
