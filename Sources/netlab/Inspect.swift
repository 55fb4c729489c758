import ArgumentParser
import NetLabReport
import NetLabTrace

/// `netlab inspect`: what a capture holds.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a capture: packets, bytes, protocols, TCP/UDP conversations.",
        discussion: """
            Reads a pcap or pcapng file (any byte order, µs or ns timestamps) through libpcap, \
            streaming, and counts conversations as tshark -z conv,tcp -z conv,udp does: endpoint A \
            sends the first frame, bytes are whole frames on the wire, IP fragments count once \
            reassembled, headers quoted in ICMP errors are not conversations.

            A capture taken on several interfaces of a node (dumpcap -i cni0 -i vethX into pcapng, \
            or tcpdump -i any) sees a pod's packet on each interface it crosses: such copies count \
            in packets and bytes, as tshark counts them, and once in payload and messages. \
            --interface reads one capture point only: an interface's name or number in a pcapng \
            file, its index (as `ip -o link` prints it) in a tcpdump -i any capture.

            A damaged file is summarised up to the damage, marked incomplete, and netlab exits with \
            status 2 after printing where the damage is.

            Examples:
              netlab inspect Traces/pod-to-pod-http.pcap
              netlab inspect capture.pcapng --format json
              netlab inspect capture.pcap --format csv > conversations.csv
              netlab inspect node.pcapng --interface cni0
            """
    )

    @Argument(help: "The capture file (.pcap or .pcapng).")
    var trace: String

    @Option(help: "Conversations listed in the table (the largest by bytes).")
    var top: Int = 10

    @Option(
        help: ArgumentHelp(
            "Read only the packets this interface captured (pcapng: name or number; tcpdump -i any: index).",
            valueName: "name"))
    var interface: String?

    @OptionGroup var output: ReportOptions<DataFormat>

    func run() throws {
        try output.checkFormat()
        let summary = try TraceInspector.inspect(path: trace, interface: interface)
        try output.emit(
            table: { InspectReport.table(summary, top: max(1, top)) }, json: { InspectReport.json(summary) },
            csv: { InspectReport.csv(summary) })
        if let damage = summary.damage {
            throw InputError(damage)
        }
    }
}
