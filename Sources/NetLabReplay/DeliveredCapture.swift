import NetLabCore
import NetLabTrace

/// Where a replay writes what it delivered (`--pcap-out`): one frame per message, split at
/// 65,000 bytes, at its simulated delivery time, with TCP sequence numbers counting each
/// direction's bytes, so that a capture tool reads the replay as a conversation.
struct DeliveredCapture {
    let writer: TraceWriter
    /// The captured conversations, whose addresses and protocols the frames carry.
    let conversations: [Conversation]
    /// The capture's first timestamp (ns), where simulated time starts.
    let firstTimestamp: Int64
    var sequenceFromA: [UInt32]
    var sequenceFromB: [UInt32]

    init(writer: TraceWriter, plan: ReplayPlan) {
        self.writer = writer
        conversations = plan.summary.conversations
        firstTimestamp = plan.firstTimestamp
        sequenceFromA = Array(repeating: 1, count: conversations.count)
        sequenceFromB = sequenceFromA
    }

    /// Writes `bytes` delivered in `conversation` at `time`.
    mutating func write(_ bytes: Int64, conversation: Int, fromServer: Bool, at time: SimTime) {
        let record = conversations[conversation]
        let (source, destination) = fromServer ? (record.b, record.a) : (record.a, record.b)
        let timestamp = firstTimestamp + time.picoseconds / 1000
        var left = bytes
        repeat {
            let chunk = Int(min(left, 65_000))
            left -= Int64(chunk)
            let sequence = fromServer ? sequenceFromB[conversation] : sequenceFromA[conversation]
            let acknowledgement = fromServer ? sequenceFromA[conversation] : sequenceFromB[conversation]
            let frame = FrameBuilder.frame(
                proto: record.proto, source: source, destination: destination, payloadLength: chunk,
                sequence: sequence, acknowledgement: acknowledgement)
            frame.prefix(128).withUnsafeBytes {
                writer.write($0, wireLength: frame.count, timestampNanoseconds: timestamp)
            }
            if fromServer {
                sequenceFromB[conversation] &+= UInt32(truncatingIfNeeded: chunk)
            } else {
                sequenceFromA[conversation] &+= UInt32(truncatingIfNeeded: chunk)
            }
        } while left > 0
    }
}
