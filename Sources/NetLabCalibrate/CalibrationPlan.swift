import NetLabModel

/// Which cases a calibration measures: `--quick` the common in-pod transports at three sizes and a
/// few pod-to-pod cases; the full run every transport, four sizes, both placements and waits, the
/// namespace paths, round trips after think times and the streams.
public enum CalibrationPlan {
    /// TCP streams are measured under CUBIC and under the host's default congestion control
    /// (`hostCongestionControl`, when netlab models it and it is not CUBIC); between pods on the
    /// bridge, each also through a 10 Gbit token bucket on the client's interface
    /// (``CalibrationCase/podShaper``), as the Kubernetes bandwidth plugin shapes a pod.
    public static func cases(quick: Bool, cores: Int, hostCongestionControl: CongestionControl? = nil) -> (
        cases: [CalibrationCase], skipped: [(name: String, why: String)]
    ) {
        var cases: [CalibrationCase] = []
        var skipped: [(name: String, why: String)] = []
        func roundTrip(
            _ path: CalibrationCase.Path, _ transport: CalibrationCase.Transport, _ size: Int,
            _ placement: CalibrationCase.Placement, poll: Bool = false, think: Int = 0
        ) {
            let item = CalibrationCase(
                kind: .roundTrip, path: path, transport: transport, size: transport == .udp ? min(size, 65_507) : size,
                placement: placement, poll: poll, thinkMicroseconds: think)
            if placement != .sameCore, cores < 2 {
                skipped.append((item.name, "the host has one core"))
            } else {
                cases.append(item)
            }
        }
        func bulk(_ path: CalibrationCase.Path, _ transport: CalibrationCase.Transport) {
            var algorithms: [CongestionControl?] = [nil]
            if transport == .tcp {
                algorithms = [.cubic]
                if let host = hostCongestionControl, host != .cubic { algorithms.append(host) }
            }
            let shapers: [TokenBucket?] =
                path == .bridge && transport == .tcp ? [nil, CalibrationCase.podShaper] : [nil]
            for shaper in shapers {
                for algorithm in algorithms {
                    cases.append(
                        CalibrationCase(
                            kind: .bulk, path: path, transport: transport, size: 65_536,
                            placement: cores < 2 ? .sameCore : .twoCores, poll: false, congestionControl: algorithm,
                            shaper: shaper))
                }
            }
        }
        if quick {
            for transport in [CalibrationCase.Transport.tcp, .uds, .pipe, .shmFutex] {
                for size in [64, 1_024, 16_384] {
                    for placement in CalibrationCase.Placement.pinned {
                        roundTrip(.inPod, transport, size, placement)
                    }
                }
            }
            // Left to the scheduler: where the host wakes a reader of each transport.
            for transport in [CalibrationCase.Transport.tcp, .uds, .pipe, .shmFutex] {
                roundTrip(.inPod, transport, 64, .unpinned)
            }
            // Spinning readers pay no wake-up: they tell the calls apart from the wake-ups.
            for size in [64, 1_024, 16_384] { roundTrip(.inPod, .shmSpin, size, .twoCores) }
            for size in [64, 1_024, 16_384] { roundTrip(.bridge, .tcp, size, .twoCores) }
            for size in [64, 1_024, 16_384] { roundTrip(.routed, .tcp, size, .twoCores) }
            bulk(.inPod, .tcp)
            bulk(.inPod, .pipe)
            bulk(.bridge, .tcp)
            return (cases, skipped)
        }
        let sizes = [64, 1_024, 16_384, 65_536]
        for transport in [CalibrationCase.Transport.tcp, .udp, .uds, .udsDatagram, .pipe, .shmFutex] {
            for size in sizes {
                for placement in CalibrationCase.Placement.pinned { roundTrip(.inPod, transport, size, placement) }
            }
        }
        for transport in [CalibrationCase.Transport.tcp, .udp, .uds, .udsDatagram, .pipe, .shmFutex] {
            roundTrip(.inPod, transport, 64, .unpinned)
        }
        // Polling only on two cores: a thread spinning on its peer's core holds it for a whole time slice.
        for transport in [CalibrationCase.Transport.tcp, .udp, .uds, .pipe] {
            for size in sizes { roundTrip(.inPod, transport, size, .twoCores, poll: true) }
        }
        for size in sizes { roundTrip(.inPod, .shmSpin, size, .twoCores) }
        for path in [CalibrationCase.Path.bridge, .routed, .vxlan] {
            for transport in [CalibrationCase.Transport.tcp, .udp] {
                for size in sizes {
                    roundTrip(path, transport, size, .twoCores)
                    if path == .bridge { roundTrip(path, transport, size, .twoCores, poll: true) }
                }
            }
        }
        // Round trips after a pause: the idle knots (training), and other transports and paths at
        // 1 ms and 300 µs (held out).
        for think in CalibrationCase.idleKnots { roundTrip(.inPod, .tcp, 64, .twoCores, think: think) }
        roundTrip(.inPod, .tcp, 64, .twoCores, think: 300)
        roundTrip(.inPod, .uds, 64, .twoCores, think: 1_000)
        roundTrip(.inPod, .udp, 1_024, .twoCores, think: 1_000)
        for path in [CalibrationCase.Path.bridge, .routed, .vxlan] {
            roundTrip(path, .tcp, 64, .twoCores, think: 1_000)
        }
        for transport in [CalibrationCase.Transport.tcp, .uds, .pipe] { bulk(.inPod, transport) }
        for path in [CalibrationCase.Path.bridge, .routed, .vxlan] { bulk(path, .tcp) }
        return (cases, skipped)
    }
}
