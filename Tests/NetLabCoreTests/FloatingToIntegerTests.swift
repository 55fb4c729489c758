import NetLabCore
import Testing

/// The conversions that replace `Int64(x)` for figures derived from input: the same integer where
/// `Int64(x)` is defined, and no trap where it is not.
@Suite struct FloatingToIntegerTests {
    @Test(arguments: [0.0, -0.0, 0.4, 0.99, -0.99, 1.5, -1.5, 2.5, 123_456.789, -9.2e18, 9.2e18, 1e15 + 0.5])
    func agreesWithTheStandardConversionWhereThatIsDefined(value: Double) {
        #expect(Int64(saturating: value) == Int64(value))
        #expect(Int64(checking: value) == Int64(value))
        #expect(Int(saturating: value) == Int(value))
    }

    @Test func valuesBeyondTheRangeSaturate() {
        #expect(Int64(saturating: 1e300) == .max)
        #expect(Int64(saturating: -1e300) == .min)
        #expect(Int64(saturating: .infinity) == .max)
        #expect(Int64(saturating: -.infinity) == .min)
        #expect(Int64(saturating: .nan) == 0)
        #expect(Int64(saturating: 9_223_372_036_854_775_807.0) == .max)  // 2⁶³, one past the maximum
        #expect(UInt8(saturating: 255.9) == 255)
        #expect(UInt8(saturating: 256) == 255)
        #expect(UInt8(saturating: -0.5) == 0)
        #expect(UInt8(saturating: -1) == 0)
        #expect(UInt64(saturating: 1.8e19) == 18_000_000_000_000_000_000)
        #expect(UInt64(saturating: 1.9e19) == .max)
    }

    @Test func valuesBeyondTheRangeAreRefusedWhenChecked() {
        #expect(Int64(checking: 1e300) == nil)
        #expect(Int64(checking: -.infinity) == nil)
        #expect(Int64(checking: .nan) == nil)
        #expect(Int64(checking: 9_223_372_036_854_775_807.0) == nil)
        #expect(Int64(checking: -9_223_372_036_854_775_808.0) == .min)
        #expect(UInt8(checking: 256) == nil)
        #expect(UInt8(checking: -1) == nil)
        #expect(UInt8(checking: -0.5) == 0)
        #expect(Int32(checking: 2_147_483_647.9) == .max)
    }
}
