import ArgumentParser
import CPcapFloor
import Foundation
import NetLabCore
import NetLabReport
import NetLabSpec
import NetLabTrace

/// `netlab bench ingest`: capture reading speed against the libpcap floor and tshark.
struct BenchIngest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Time netlab inspect against a bare pcap_next_ex loop and tshark on one capture.",
        discussion: """
            Writes a synthetic capture (Ethernet/IPv4, TCP and UDP, 1000 conversations, 60-1514 \
            byte frames, snap length 128) unless --file names an existing one, then times, in one \
            run: a C loop that only calls pcap_next_ex (the floor any libpcap reader pays) and \
            netlab's full inspection (decoding, fragments, conversations, histograms), interleaved \
            --runs times, medians reported; and `tshark -n -q -r FILE -z conv,tcp` once when \
            tshark is installed.

            Examples:
              netlab bench ingest --packets 5e6
              netlab bench ingest --file big.pcap --no-tshark --format json
            """
    )

    @Option(help: "Packets in the generated capture.")
    var packets: Count = Count(argument: "5000000")!

    @Option(help: "Capture to read (generated there if missing). Default: a temporary file, deleted afterwards.")
    var file: String?

    @Flag(help: "Skip the tshark comparison (it takes minutes on millions of packets).")
    var noTshark = false

    @Option(help: "Interleaved runs of the floor and of netlab; medians are reported (tshark runs once).")
    var runs: Int = 3

    @OptionGroup var output: ReportOptions<DataFormat>

    func run() throws {
        try output.checkFormat()
        let path =
            file ?? FileManager.default.temporaryDirectory.appendingPathComponent("netlab-ingest-\(getpid()).pcap").path
        let generated = !FileManager.default.fileExists(atPath: path)
        if generated { try generate(path: path, packets: packets.value) }
        defer { if generated && file == nil { try? FileManager.default.removeItem(atPath: path) } }
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        // Interleaved runs, medians reported: the page cache and the other core make single runs noisy.
        var floorRuns: [Double] = [], netlabRuns: [Double] = []
        var lastSummary: TraceSummary?
        for _ in 0..<max(1, runs) {
            let (floorPackets, floorSeconds) = time { netlab_pcap_floor(path) }
            guard floorPackets >= 0 else {
                throw InputError(
                    source: path, location: nil, problem: "libpcap cannot read it to the end",
                    fix: "give an undamaged capture")
            }
            floorRuns.append(floorSeconds)
            let (outcome, netlabSeconds) = time { () -> Result<TraceSummary, TraceError> in
                Result { () throws(TraceError) in try TraceInspector.inspect(path: path) }
            }
            switch outcome {
            case .success(let value): lastSummary = value
            case .failure(let error):
                throw InputError(error)
            }
            netlabRuns.append(netlabSeconds)
        }
        let floorSeconds = median(floorRuns), netlabSeconds = median(netlabRuns)
        let summary = lastSummary!
        var tsharkSeconds: Double?
        if !noTshark,
            let tshark = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        {
            tsharkSeconds = try time { try runQuietly(tshark, ["-n", "-q", "-r", path, "-z", "conv,tcp"]) }.1
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMegabytes = Double(usage.ru_maxrss) / 1024

        let count = Double(summary.packets)
        let rows: [(String, Double?)] = [
            ("libpcap floor (C pcap_next_ex loop)", floorSeconds), ("netlab inspect", netlabSeconds),
            ("tshark -z conv,tcp", tsharkSeconds),
        ]
        let json = { () -> JSONValue in
            var fields: [(String, JSONValue)] = [
                ("file", .string(path)), ("file_bytes", .integer(Int64(fileBytes))),
                ("packets", .integer(Int64(summary.packets))),
                ("conversations", .integer(Int64(summary.conversations.count))),
                ("floor_seconds", .number(floorSeconds)), ("netlab_seconds", .number(netlabSeconds)),
                ("netlab_vs_floor", .number(floorSeconds / netlabSeconds)),
                ("netlab_peak_rss_mb", .number((peakMegabytes * 10).rounded() / 10)),
            ]
            if let tsharkSeconds {
                fields += [
                    ("tshark_seconds", .number(tsharkSeconds)),
                    ("netlab_vs_tshark", .number(tsharkSeconds / netlabSeconds)),
                ]
            }
            return JSONValue.object(fields)
        }
        let csv = { () -> String in
            var table = CSVTable(header: ["reader", "seconds", "packets_per_second"])
            for (name, seconds) in rows {
                if let seconds { table.append([name, "\(seconds)", "\((count / seconds).rounded())"]) }
            }
            return table.rendered()
        }
        let text = { () -> String in
            var table = TextTable(columns: [
                .init("reader"), .init("seconds", alignment: .right), .init("M packets/s", alignment: .right),
                .init("vs netlab", alignment: .right),
            ])
            for (name, seconds) in rows {
                guard let seconds else { table.append([name, "skipped"]); continue }
                table.append([
                    name, FigureText.fixed(seconds, 3), FigureText.fixed(count / seconds / 1e6, 2),
                    FigureText.fixed(seconds / netlabSeconds, 2) + "x",
                ])
            }
            return
                "\(path): \(summary.packets) packets, \(fileBytes / 1_000_000) MB, \(summary.conversations.count) conversations\n"
                + table.rendered() + "netlab peak RSS \(FigureText.fixed(peakMegabytes, 1)) MB\n"
        }
        try output.emit(table: text, json: json, csv: csv)
    }

    /// A capture of `packets` frames over 1000 conversations (800 TCP, 200 UDP), 10 µs apart.
    func generate(path: String, packets: Int) throws {
        let writer: TraceWriter
        do { writer = try TraceWriter(path: path, snapshotLength: 128) } catch {
            throw InputError(error)
        }
        var templates: [[UInt8]] = []
        var lengths: [Int] = []
        for index in 0..<1000 {
            let client = (UInt32(0xC612_0000) | UInt32(index % 250 + 1), UInt16(40000 + index)),
                server = (UInt32(0xC613_0001), UInt16(index < 800 ? 80 : 53))
            let payload = [0, 100, 400, 1448][index % 4]
            let frame = FrameBuilder.frame(
                proto: index < 800 ? .tcp : .udp, source: client, destination: server, payloadLength: payload)
            templates.append(Array(frame.prefix(128)))
            lengths.append(frame.count)
        }
        for number in 0..<packets {
            let index = (number &* 7919) % 1000
            templates[index].withUnsafeBytes {
                writer.write(
                    $0, wireLength: lengths[index],
                    timestampNanoseconds: 1_700_000_000_000_000_000 + Int64(number) * 10_000)
            }
        }
        do { try writer.close() } catch {
            throw InputError(error)
        }
    }
}

/// The middle value (the mean of the two middle ones for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// Runs `body` and returns its result with the seconds it took.
func time<Result>(_ body: () throws -> Result) rethrows -> (Result, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body()
    let (seconds, attoseconds) = (clock.now - start).components
    return (result, Double(seconds) + Double(attoseconds) / 1e18)
}

/// Runs a program with its output discarded; throws if it fails.
func runQuietly(_ executable: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw InputError(
            source: executable, location: nil, problem: "exited with status \(process.terminationStatus)",
            fix: "check the capture")
    }
}
