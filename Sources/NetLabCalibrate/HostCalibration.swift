import Foundation
import NetLabModel

/// Measures a plan of cases on this host: every case once per repetition, the repetitions
/// interleaved (case 1, 2, …, n, then again), so that a slow minute of a noisy VM spreads over all
/// cases instead of spoiling a few.
public struct HostCalibration {
    public var repetitions: Int
    public var iterations: Int
    public var bulkSeconds: Double

    public init(quick: Bool) {
        repetitions = 3
        iterations = quick ? 1_000 : 2_000
        bulkSeconds = quick ? 0.2 : 0.3
    }

    /// Measures `cases`; those whose path the host cannot set up, or whose measurement fails, are
    /// skipped with the reason. `progress(done, total)` is called after each measurement;
    /// `shouldStop()` is asked before each, and a stop ends the run with what was measured.
    public func measure(
        _ cases: [CalibrationCase], namespaces: CalibrationNamespaces,
        progress: (Int, Int) -> Void, shouldStop: () -> Bool
    ) -> (measurements: [CalibrationMeasurement], skipped: [(name: String, why: String)], interrupted: Bool) {
        var skipped: [(name: String, why: String)] = []
        var runnable: [CalibrationCase] = []
        for item in cases {
            if let reason = namespaces.unavailable.first(where: { $0.0 == item.path })?.1 {
                skipped.append((item.name, reason))
            } else {
                runnable.append(item)
            }
        }
        let probe = HostProbe(iterations: iterations, bulkSeconds: bulkSeconds)
        var values = Array(repeating: [Double](), count: runnable.count)
        var tails = Array(repeating: [RoundTripTail](), count: runnable.count)
        var failed: [Int: String] = [:]
        var done = 0
        for _ in 0..<repetitions {
            for (index, item) in runnable.enumerated() where failed[index] == nil {
                if shouldStop() {
                    return (collect(runnable, values, tails, failed), skipped + failures(runnable, failed), true)
                }
                do {
                    let measured = try probe.measure(item, namespaces: namespaces)
                    values[index].append(measured.value)
                    if let tail = measured.tail { tails[index].append(tail) }
                } catch {
                    failed[index] = error.description
                }
                done += 1
                progress(done, runnable.count * repetitions)
            }
        }
        return (collect(runnable, values, tails, failed), skipped + failures(runnable, failed), false)
    }

    private func collect(
        _ cases: [CalibrationCase], _ values: [[Double]], _ tails: [[RoundTripTail]], _ failed: [Int: String]
    ) -> [CalibrationMeasurement] {
        cases.indices.filter { failed[$0] == nil && !values[$0].isEmpty }.map {
            CalibrationMeasurement(
                calibrationCase: cases[$0], repetitions: values[$0],
                tails: tails[$0].count == values[$0].count ? tails[$0] : [])
        }
    }

    private func failures(_ cases: [CalibrationCase], _ failed: [Int: String]) -> [(name: String, why: String)] {
        failed.keys.sorted().map { (cases[$0].name, "the measurement failed: \(failed[$0]!)") }
    }
}

/// What the measured host is: name, CPU, cores, kernel, virtualisation.
public enum HostDescription {
    public static func current(netlabVersion: String, date: Date = Date()) -> CalibrationRecord.Provenance {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        var system = utsname()
        uname(&system)
        let kernel = withUnsafeBytes(of: &system.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            ?? "unknown"
        var virtualization = "none detected"
        if cpuinfo.contains(" hypervisor") {
            let vendor = (try? String(contentsOfFile: "/sys/class/dmi/id/sys_vendor", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            virtualization = "virtual machine" + (vendor.map { $0.isEmpty ? "" : " (\($0))" } ?? "")
        }
        let formatter = ISO8601DateFormatter()
        return CalibrationRecord.Provenance(
            host: String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), cpu: model,
            cores: ProcessInfo.processInfo.activeProcessorCount, kernel: kernel, virtualization: virtualization,
            date: formatter.string(from: date), netlabVersion: netlabVersion)
    }
}

/// The host's default TCP congestion control (`net.ipv4.tcp_congestion_control`).
public enum HostCongestionControl {
    /// Its name, and the algorithm netlab models under that name (nil: one netlab does not model,
    /// or the setting could not be read).
    public static func current() -> (name: String, modelled: CongestionControl?) {
        guard
            let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/tcp_congestion_control", encoding: .utf8)
        else { return ("unknown", nil) }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return (name, CongestionControl(rawValue: name))
    }
}
