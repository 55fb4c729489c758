import CCalibrate
import NetLabModel

/// Runs one case on this host with the C timing loops: a round trip's p50 and upper quantiles in
/// microseconds, or a stream's throughput in bits per second.
struct HostProbe {
    /// Round trips timed per repetition (after 200 untimed ones).
    var iterations: Int
    /// How long each stream runs.
    var bulkSeconds: Double

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `calibrationCase` once; a shaped case with its token bucket put on the client's
    /// interface for the run and taken off again.
    func measure(_ calibrationCase: CalibrationCase, namespaces: CalibrationNamespaces?) throws(Failure) -> (
        value: Double, tail: RoundTripTail?
    ) {
        guard let shaper = calibrationCase.shaper else { return try run(calibrationCase, namespaces: namespaces) }
        guard let namespaces else { throw Failure(description: "a token bucket needs the pods' namespaces") }
        if let failure = namespaces.shapeClient(of: calibrationCase.path, with: shaper) {
            throw Failure(description: failure)
        }
        let outcome: Result<(value: Double, tail: RoundTripTail?), Failure>
        do { outcome = .success(try run(calibrationCase, namespaces: namespaces)) } catch { outcome = .failure(error) }
        if let failure = namespaces.shapeClient(of: calibrationCase.path, with: nil) {
            throw Failure(description: "the token bucket could not be taken off again: \(failure)")
        }
        return try outcome.get()
    }

    private func run(_ calibrationCase: CalibrationCase, namespaces: CalibrationNamespaces?) throws(Failure) -> (
        value: Double, tail: RoundTripTail?
    ) {
        var spec = nl_spec()
        spec.transport = Self.transport(calibrationCase.transport)
        spec.size = Int32(calibrationCase.size)
        spec.iterations = Int32(Self.roundTrips(iterations, think: calibrationCase.thinkMicroseconds))
        spec.think_us = Double(calibrationCase.thinkMicroseconds)
        spec.seconds = bulkSeconds
        switch calibrationCase.placement {
        case .sameCore: (spec.client_cpu, spec.server_cpu) = (0, 0)
        case .twoCores: (spec.client_cpu, spec.server_cpu) = (0, 1)
        case .unpinned: (spec.client_cpu, spec.server_cpu) = (-1, -1)
        }
        spec.poll = calibrationCase.poll ? 1 : 0
        let ends = namespaces?.ends(for: calibrationCase.path)
        var result = nl_result()
        let status = withOptionalCString(ends?.clientNamespace) { client in
            withOptionalCString(ends?.serverNamespace) { server in
                withOptionalCString(ends?.serverAddress) { address in
                    withOptionalCString(calibrationCase.congestionControl?.rawValue) { congestion in
                        spec.client_netns = client
                        spec.server_netns = server
                        spec.server_address = address
                        spec.congestion = congestion
                        return calibrationCase.kind == .bulk ? nl_bulk(&spec, &result) : nl_pingpong(&spec, &result)
                    }
                }
            }
        }
        guard status == 0 else {
            let message = withUnsafeBytes(of: &result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw Failure(description: message.isEmpty ? "the measurement failed" : message)
        }
        if calibrationCase.kind == .bulk { return (result.bits_per_second, nil) }
        return (result.p50, RoundTripTail(p90: result.p90, p99: result.p99, p999: result.p999))
    }

    /// Round trips to time: `iterations`, or fewer where think time would make them last over 3 s.
    static func roundTrips(_ iterations: Int, think microseconds: Int) -> Int {
        microseconds > 0 ? max(100, min(iterations, 3_000_000 / microseconds)) : iterations
    }

    static func transport(_ transport: CalibrationCase.Transport) -> nl_transport {
        switch transport {
        case .tcp: NL_TCP
        case .udp: NL_UDP
        case .uds: NL_UDS
        case .udsDatagram: NL_UDS_DGRAM
        case .pipe: NL_PIPE
        case .shmFutex: NL_SHM_FUTEX
        case .shmSpin: NL_SHM_SPIN
        }
    }
}

private func withOptionalCString<R>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
