/// How a CPU hop's work divides between stages: the devices', netfilter's and overlay's fractions
/// of it (in units of 2⁻¹⁶), the rest going to `remainder` (the network stack, or the largest part
/// where the hop has no stack work). Seven bytes, so that it fits in the hop's own record beside
/// its cost and sharing out a duration takes one cache line and three multiplications.
struct WorkShares {
    var devices: UInt16 = 0
    var netfilter: UInt16 = 0
    var overlay: UInt16 = 0
    var remainder = Stage.stack

    init() {}

    /// The shares of parts costing `stack`, `devices`, `netfilter` and `overlay` picoseconds.
    init(stack: Int64, devices: Int64, netfilter: Int64, overlay: Int64) {
        let whole = UInt64(max(stack + devices + netfilter + overlay, 1))
        func share(_ part: Int64) -> UInt16 {
            // Rounded to the nearest, so that no stage is favoured.
            UInt16(min(((UInt64(max(part, 0)) << 16) + whole / 2) / whole, UInt64(UInt16.max)))
        }
        self.devices = share(devices)
        self.netfilter = share(netfilter)
        self.overlay = share(overlay)
        let most = max(devices, netfilter, overlay)
        remainder =
            stack > 0 || most == 0
            ? .stack : devices == most ? .devices : netfilter == most ? .netfilter : .overlay
    }

    /// Adds `duration` of the hop's work to `times`, shared out; the parts add up to `duration`
    /// exactly (what rounding leaves goes to `remainder`), and each is within `duration` / 2¹⁶
    /// of its exact proportion.
    @inline(__always)
    func charge(_ duration: Int64, to times: inout InlineArray<8, Int64>) {
        guard devices | netfilter | overlay != 0 else {
            times[remainder.rawValue] &+= duration
            return
        }
        let devicesPart = Self.portion(of: duration, devices)
        let netfilterPart = Self.portion(of: duration, netfilter)
        let overlayPart = Self.portion(of: duration, overlay)
        times[Stage.devices.rawValue] &+= devicesPart
        times[Stage.netfilter.rawValue] &+= netfilterPart
        times[Stage.overlay.rawValue] &+= overlayPart
        times[remainder.rawValue] &+= duration - devicesPart - netfilterPart - overlayPart
    }

    /// `share` (in 2⁻¹⁶ units) of `duration`, rounded down.
    @inline(__always)
    static func portion(of duration: Int64, _ share: UInt16) -> Int64 {
        let product = UInt64(max(duration, 0)).multipliedFullWidth(by: UInt64(share))
        return Int64(bitPattern: product.high << 48 | product.low >> 16)
    }
}
