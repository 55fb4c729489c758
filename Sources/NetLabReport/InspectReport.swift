import NetLabSpec
import NetLabStats
import NetLabTrace

/// `netlab inspect` output: JSON as docs/output.md describes it, a readable summary, and CSV of conversations.
public enum InspectReport {
    /// The capture's summary for programs: format and link types, packet and byte counts, the time
    /// span, counts by protocol, the conversations, whether it was read to its end (truncated and
    /// duplicated packets, warnings), and the packets by interface.
    public static func json(_ summary: TraceSummary) -> JSONValue {
        .object([
            ("file", .string(summary.file)),
            ("format", .string(summary.format.rawValue)),
            ("link_types", .array(summary.linkTypes.map { .string($0) })),
            ("packets", .integer(Int64(summary.packets))),
            ("captured_bytes", .integer(Int64(summary.capturedBytes))),
            ("wire_bytes", .integer(Int64(summary.wireBytes))),
            ("first_ts_ns", summary.firstNanoseconds.map { .integer($0) } ?? .null),
            ("last_ts_ns", summary.lastNanoseconds.map { .integer($0) } ?? .null),
            ("ipv4", .integer(Int64(summary.ipv4))),
            ("ipv6", .integer(Int64(summary.ipv6))),
            ("tcp", .integer(Int64(summary.tcp))),
            ("udp", .integer(Int64(summary.udp))),
            ("icmp", .integer(Int64(summary.icmp))),
            ("other", .integer(Int64(summary.other))),
            ("conversations", .array(summary.conversations.map(conversation))),
            ("warnings", .array(summary.warnings.map { .string($0) })),
            ("complete", .bool(summary.complete)),
            ("truncated_packets", .integer(Int64(summary.truncatedPackets))),
            ("copies", .integer(Int64(summary.copies))),
            ("interface", summary.interface.map { .string($0) } ?? .null),
            ("other_interface_packets", .integer(Int64(summary.otherInterfacePackets))),
            (
                "packets_by_interface",
                .object(
                    summary.packetsByInterface.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) })
            ),
        ])
    }

    static func conversation(_ conversation: Conversation) -> JSONValue {
        .object([
            ("proto", .string(conversation.proto.name)),
            ("a", .string(conversation.a.description)),
            ("b", .string(conversation.b.description)),
            ("packets", .integer(Int64(conversation.packets))),
            ("bytes", .integer(Int64(conversation.bytes))),
            ("a_to_b_packets", .integer(Int64(conversation.packetsAToB))),
            ("b_to_a_packets", .integer(Int64(conversation.packetsBToA))),
            ("a_to_b_bytes", .integer(Int64(conversation.bytesAToB))),
            ("b_to_a_bytes", .integer(Int64(conversation.bytesBToA))),
            ("a_to_b_payload", .integer(Int64(conversation.payloadAToB))),
            ("b_to_a_payload", .integer(Int64(conversation.payloadBToA))),
            ("a_to_b_messages", .integer(Int64(conversation.messagesAToB))),
            ("b_to_a_messages", .integer(Int64(conversation.messagesBToA))),
            ("start_ns", .integer(conversation.firstNanoseconds)),
            ("end_ns", .integer(conversation.lastNanoseconds)),
            ("handshake_rtt_ns", conversation.handshakeRTTNanoseconds.map { .integer($0) } ?? .null),
        ])
    }

    /// One row per conversation.
    public static func csv(_ summary: TraceSummary) -> String {
        var table = CSVTable(header: [
            "proto", "a", "b", "packets", "bytes", "a_to_b_packets", "b_to_a_packets", "a_to_b_bytes", "b_to_a_bytes",
            "a_to_b_payload", "b_to_a_payload", "a_to_b_messages", "b_to_a_messages", "start_ns", "end_ns",
        ])
        for c in summary.conversations {
            table.append([
                c.proto.name, c.a.description, c.b.description, "\(c.packets)", "\(c.bytes)", "\(c.packetsAToB)",
                "\(c.packetsBToA)",
                "\(c.bytesAToB)", "\(c.bytesBToA)", "\(c.payloadAToB)", "\(c.payloadBToA)", "\(c.messagesAToB)",
                "\(c.messagesBToA)",
                "\(c.firstNanoseconds)", "\(c.lastNanoseconds)",
            ])
        }
        return table.rendered()
    }

    /// Duration and rates, protocol mix, frame size and inter-arrival percentiles, top conversations.
    public static func table(_ summary: TraceSummary, top: Int = 10) -> String {
        let seconds = Double(summary.durationNanoseconds) / 1e9
        var output = "\(summary.file): \(summary.format.rawValue), \(summary.linkTypes.joined(separator: ", "))"
        output += summary.complete ? "" : " (INCOMPLETE: damaged after packet \(summary.packets))"
        output = SimulationReport.wrap(output, width: 100) + "\n"
        if let interface = summary.interface {
            let all = summary.packetsByInterface.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            let shown = all.prefix(20).joined(separator: ", ") + (all.count > 20 ? " and \(all.count - 20) more" : "")
            output +=
                SimulationReport.wrap(
                    "interface \(interface) only: \(summary.otherInterfacePackets) packets of other interfaces skipped (packets per interface: \(shown))",
                    width: 100) + "\n"
        }
        output +=
            "\(summary.packets) packets, \(summary.wireBytes) bytes on the wire (\(summary.capturedBytes) captured)"
        output += ", \(SimulationReport.fixed(seconds, 6)) s"
        if seconds > 0 {
            output += ", \(SimulationReport.fixed(Double(summary.packets) / seconds, 1)) packets/s"
            output += ", \(SimulationReport.formatRate(Double(summary.wireBytes) * 8 / seconds))"
        }
        output +=
            "\nIPv4 \(summary.ipv4), IPv6 \(summary.ipv6); TCP \(summary.tcp), UDP \(summary.udp), ICMP \(summary.icmp), other \(summary.other)\n\n"

        var distribution = TextTable(columns: [
            .init(""), .init("p50", alignment: .right), .init("p90", alignment: .right),
            .init("p99", alignment: .right), .init("max", alignment: .right),
        ])
        if summary.packets > 0 {
            let sizes = summary.frameSizes
            distribution.append([
                "frame size (B)", "\(sizes.valueAtPercentile(50))", "\(sizes.valueAtPercentile(90))",
                "\(sizes.valueAtPercentile(99))", "\(sizes.maximum)",
            ])
        }
        if summary.interArrivals.count > 0 {
            let gaps = summary.interArrivals
            distribution.append([
                "inter-arrival", SimulationReport.formatNanoseconds(gaps.valueAtPercentile(50)),
                SimulationReport.formatNanoseconds(gaps.valueAtPercentile(90)),
                SimulationReport.formatNanoseconds(gaps.valueAtPercentile(99)),
                SimulationReport.formatNanoseconds(UInt64(gaps.maximumPicoseconds / 1000)),
            ])
        }
        output += distribution.rendered() + "\n"

        let ranked = summary.conversations.sorted { ($0.bytes, -$0.firstPacket) > ($1.bytes, -$1.firstPacket) }
        let shown = Array(ranked.prefix(top))
        func conversationTable(stacked: Bool) -> TextTable {
            var table = TextTable(
                columns: [.init("proto"), .init(stacked ? "a ↔ b" : "a")] + (stacked ? [] : [.init("b")]) + [
                    .init("packets", alignment: .right), .init("bytes", alignment: .right),
                    .init("a→b msgs", alignment: .right), .init("b→a msgs", alignment: .right),
                    .init("duration", alignment: .right),
                ])
            for c in shown {
                let figures = [
                    "\(c.packets)", "\(c.bytes)", "\(c.messagesAToB)", "\(c.messagesBToA)",
                    SimulationReport.formatNanoseconds(UInt64(max(0, c.lastNanoseconds - c.firstNanoseconds))),
                ]
                if stacked {
                    table.append([c.proto.name, c.a.description] + figures)
                    table.append(["", "↔ " + c.b.description])
                } else {
                    table.append([c.proto.name, c.a.description, c.b.description] + figures)
                }
            }
            return table
        }
        // IPv6 endpoints make a row too wide for a terminal: then b goes under a.
        let sideBySide = conversationTable(stacked: false)
        let conversations = sideBySide.width <= 100 ? sideBySide : conversationTable(stacked: true)
        output += "\(summary.conversations.count) conversation(s)"
        output += summary.conversations.count > top ? ", the \(top) largest:\n" : ":\n"
        output += conversations.rendered()
        for warning in summary.warnings { output += SimulationReport.wrap("warning: \(warning)", width: 100) + "\n" }
        return output
    }
}
