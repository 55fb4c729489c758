import NetLabCore
import RealModule

/// How a real host's costs vary around their typical figures, so that a model's tail is the
/// host's and not its median repeated (docs/model.md, "Host variability").
///
/// Every spread is a lognormal factor of median 1 (so the profile's figure stays the median): a
/// wake-up, a context switch, and each piece of CPU work (system call, copy, stack, device), with
/// its own `sigma`. On top, a wake-up of a core that has been idle for a while costs more, as
/// deeper idle states (or, on a virtual machine, a descheduled vCPU) take longer to leave: the
/// extra is given at 100 µs, 1 ms and 10 ms of idleness and interpolated on a logarithmic time
/// scale, zero at 10 µs and below, the 10 ms figure beyond.
public struct HostVariability: Sendable, Equatable {
    /// Spread of a wake-up of a blocked thread on an idle core (IPI and idle exit).
    public var wakeupSigma: Double
    /// Spread of a context switch.
    public var contextSwitchSigma: Double
    /// Spread of each piece of CPU work a thread or the kernel does.
    public var workSigma: Double
    /// Extra wake-up after the woken core idled 100 µs, 1 ms and 10 ms.
    public var idleWakeup: (SimDuration, SimDuration, SimDuration)

    public init(
        wakeupSigma: Double = 0, contextSwitchSigma: Double = 0, workSigma: Double = 0,
        idleWakeup: (SimDuration, SimDuration, SimDuration) = (.zero, .zero, .zero)
    ) {
        self.wakeupSigma = wakeupSigma
        self.contextSwitchSigma = contextSwitchSigma
        self.workSigma = workSigma
        self.idleWakeup = idleWakeup
    }

    /// No variation at all: every cost is its figure, as under `ideal`.
    public static let none = HostVariability()

    /// Whether every cost is exactly its figure (no draws are made).
    public var isDeterministic: Bool { self == .none }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.wakeupSigma == rhs.wakeupSigma && lhs.contextSwitchSigma == rhs.contextSwitchSigma
            && lhs.workSigma == rhs.workSigma && lhs.idleWakeup.0 == rhs.idleWakeup.0
            && lhs.idleWakeup.1 == rhs.idleWakeup.1 && lhs.idleWakeup.2 == rhs.idleWakeup.2
    }

    /// How far below its figure a wake-up or a piece of work falls at the low end of its
    /// variation (two sigmas down, its 2.3rd percentile, for the wider of the two spreads), as a
    /// share of the figure: 0 when costs do not vary.
    public var lowEndShare: Double { 1 - .exp(-2 * max(workSigma, wakeupSigma)) }

    /// The extra wake-up, in picoseconds, of a core idle for `idle` picoseconds. Charged at every
    /// wake-up of an idle core, so it allocates nothing.
    public func idleExtra(after idle: Int64) -> Int64 {
        let (a, b, c) = (idleWakeup.0.picoseconds, idleWakeup.1.picoseconds, idleWakeup.2.picoseconds)
        guard a | b | c != 0, idle > 10_000_000 else { return 0 }
        // Linear in log10(idle) between knots a decade apart: from (knot, low) to (10 × knot, high).
        let (knot, low, high): (Int64, Int64, Int64)
        switch idle {
        case ...100_000_000: (knot, low, high) = (10_000_000, 0, a)
        case ...1_000_000_000: (knot, low, high) = (100_000_000, a, b)
        case ..<10_000_000_000: (knot, low, high) = (1_000_000_000, b, c)
        default: return c
        }
        let fraction = Double.log10(Double(idle) / Double(knot))
        return Int64(saturating: (Double(low) + Double(high - low) * fraction).rounded())
    }
}
