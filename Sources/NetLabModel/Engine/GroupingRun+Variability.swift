import NetLabCore

/// The host's variability (``HostVariability``) applied where costs are charged: a piece of CPU
/// work, a wake-up, a context switch. Each node draws from its own stream, so a grouping's draws
/// do not depend on another node's work; a deterministic profile draws nothing.
extension GroupingRun {
    /// `duration` of CPU work on `node` as this run of the host does it.
    @inline(__always)
    mutating func varied(work duration: Int64, on node: Int) -> Int64 {
        let sigma = profile.variability.workSigma
        guard sigma > 0, duration > 0 else { return duration }
        return Self.scaled(duration, sigma: sigma, &hostNoise[node])
    }

    /// A context switch on `node`.
    mutating func contextSwitch(on node: Int) -> Int64 {
        Self.scaled(profile.contextSwitch.picoseconds, sigma: profile.variability.contextSwitchSigma, &hostNoise[node])
    }

    /// Waking a thread on `core`, idle since `idleSince`, at `now`: the wake-up (`base`), and the
    /// extra of leaving a deeper idle state.
    mutating func idleWakeup(core: Int, now: SimTime, base: SimDuration) -> Int64 {
        let node = nodeOfCore[core]
        let wakeup = Self.scaled(base.picoseconds, sigma: profile.variability.wakeupSigma, &hostNoise[node])
        return wakeup + profile.variability.idleExtra(after: (now - cores[core].idleSince).picoseconds)
    }

    /// `value` times a lognormal factor of median 1 and `sigma`, at most 100 times `value` (a
    /// draw past that is not a host cost but a broken host). Static, so that drawing from a
    /// stream held in `self` makes the compiler copy nothing.
    @inline(__always)
    static func scaled(_ value: Int64, sigma: Double, _ stream: inout RandomStream) -> Int64 {
        guard sigma > 0, value > 0 else { return value }
        let factor = min(Distribution.lognormal(mu: 0, sigma: sigma).sample(using: &stream), 100)
        return Int64(saturating: (Double(value) * factor).rounded())
    }
}
