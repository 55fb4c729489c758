import Testing

@testable import NetLabModel

/// A CPU hop's work shared out between stages.
struct WorkSharesTests {
    @Test func partsAddUpToTheDurationAndKeepTheirProportions() {
        // Bridge work: devices 300 ns, netfilter 100 ns, stack 600 ns.
        let shares = WorkShares(stack: 600_000, devices: 300_000, netfilter: 100_000, overlay: 0)
        for duration: Int64 in [0, 1, 999, 1_000_000, 1_234_567, 250_000_000_000] {
            var times = InlineArray<8, Int64>(repeating: 0)
            shares.charge(duration, to: &times)
            var sum: Int64 = 0
            for index in times.indices { sum += times[index] }
            #expect(sum == duration)
            // Within one unit of 2⁻¹⁶ of the duration of the exact proportion.
            let tolerance = duration / 65_536 + 1
            #expect(abs(times[Stage.devices.rawValue] - duration * 3 / 10) <= tolerance)
            #expect(abs(times[Stage.netfilter.rawValue] - duration / 10) <= tolerance)
            #expect(times[Stage.overlay.rawValue] == 0)
        }
    }

    @Test func aHopWithoutStackWorkGivesTheRestToItsLargestPart() {
        let nicOnly = WorkShares(stack: 0, devices: 500_000, netfilter: 0, overlay: 0)
        #expect(nicOnly.remainder == .devices)
        var times = InlineArray<8, Int64>(repeating: 0)
        nicOnly.charge(777_777, to: &times)
        #expect(times[Stage.devices.rawValue] == 777_777)
        #expect(times[Stage.stack.rawValue] == 0)

        let overlayMostly = WorkShares(stack: 0, devices: 100, netfilter: 0, overlay: 900)
        #expect(overlayMostly.remainder == .overlay)
        let free = WorkShares(stack: 0, devices: 0, netfilter: 0, overlay: 0)
        #expect(free.remainder == .stack)
    }

    /// Every packet reads its hops; the shares ride in the hop's padding rather than a second table.
    @Test func aHopStaysWithinTwentyFourBytes() {
        #expect(MemoryLayout<Hop>.stride == 24)
        #expect(MemoryLayout<WorkShares>.size <= 7)
    }
}
