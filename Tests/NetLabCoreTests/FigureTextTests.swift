import Testing

@testable import NetLabCore

/// One style for figures in every output: a unit picked by size, intervals in the mean's unit
/// with a two-digit half-width.
@Suite struct FigureTextTests {
    @Test(arguments: [
        (999.0, "999ns"), (1_000, "1.00us"), (5_940, "5.94us"), (460_400, "460.4us"), (999_960, "1.00ms"),
        (1_115_900, "1.12ms"), (373_000_000, "373.0ms"), (12_345_000_000, "12.3s"),
    ])
    func durationsPickTheirUnitBySize(nanoseconds: Double, text: String) {
        #expect(FigureText.duration(nanoseconds: nanoseconds) == text)
    }

    @Test(arguments: [
        (500.0, "500bps"), (2_400, "2.40kbps"), (97_000_000, "97.0Mbps"), (9_480_000_000, "9.48Gbps"),
        (38_200_000_000, "38.2Gbps"),
    ])
    func ratesPickTheirUnitBySize(bitsPerSecond: Double, text: String) {
        #expect(FigureText.rate(bitsPerSecond: bitsPerSecond) == text)
    }

    @Test func intervalsUseTheMeansUnitAndTwoDigits() {
        #expect(FigureText.interval(nanoseconds: 460_400, halfWidth: 27_600) == "460 ± 28us")
        #expect(FigureText.interval(nanoseconds: 35_100, halfWidth: 266) == "35.1 ± 0.3us")
        #expect(FigureText.interval(nanoseconds: 3_100, halfWidth: 47) == "3.10 ± 0.05us")
        #expect(FigureText.interval(nanoseconds: 7_230_000, halfWidth: 660_000) == "7.23 ± 0.66ms")
        #expect(FigureText.interval(nanoseconds: -1_820_000, halfWidth: 980_000) == "-1.82 ± 0.98ms")
        #expect(FigureText.interval(bitsPerSecond: 97_000_000, halfWidth: 2_400_000) == "97.0 ± 2.4Mbps")
        #expect(FigureText.interval(nanoseconds: 17_000, halfWidth: 0) == "17.0 ± 0.0us")
        #expect(FigureText.interval(nanoseconds: 591_500, halfWidth: 999_600) == "592 ± 1000us")
    }

    /// One way to write a share in every table, sentence and error, and one way to read one.
    @Test func sharesAreWrittenAndReadOneWay() {
        #expect(FigureText.percent(0.1234) == "12.3%")
        #expect(FigureText.percent(0.0005) == "0.1%")
        #expect(FigureText.percent(-0.0005, signed: true) == "-0.1%")
        #expect(FigureText.percent(0, signed: true) == "+0.0%")
        #expect(FigureText.percent(0.955, decimals: 0) == "96%")
        #expect(FigureText.percent(0.01, decimals: 2) == "1.00%")
        #expect(FigureText.percent(.infinity) == "∞")
        #expect(Share.fraction("5%") == 0.05)
        #expect(Share.fraction(" 0.1 %") == 0.001)
        #expect(Share.fraction("5") == nil, "a bare number is a fraction only where allowed")
        #expect(Share.fraction("0.05", bareFractionsUpTo: 0.5) == 0.05)
        #expect(Share.fraction("5", bareFractionsUpTo: 0.5) == nil, "5 could mean 5% or 500%")
        #expect(Share.fraction("-1%") == nil)
        #expect(Share.fraction("inf%") == nil)
        #expect(Share.fraction("five%") == nil)
    }

    @Test func fixedKeepsTheSignOfSmallNegatives() {
        #expect(FigureText.fixed(-0.5, 2) == "-0.50")
        #expect(FigureText.fixed(-1.5, 1) == "-1.5")
        #expect(FigureText.fixed(2.345, 0) == "2")
    }
}

/// Names from files print as what they are: control and bidirectional characters escaped.
@Suite struct ControlCharacterTests {
    @Test func controlAndBidiCharactersAreEscaped() {
        #expect("plain name µs".escapingControlCharacters == "plain name µs")
        #expect("a\nb\u{0}c".escapingControlCharacters == #"a\u{a}b\u{0}c"#)
        #expect("x\u{202e}y\u{2066}z".escapingControlCharacters == #"x\u{202e}y\u{2066}z"#)
        #expect("\u{1b}[31m".escapingControlCharacters == #"\u{1b}[31m"#)
    }

    @Test func hugeAndNonFiniteFiguresAreWrittenNotTrapped() {
        #expect(FigureText.fixed(1e300, 1) == "1e+300")
        #expect(FigureText.fixed(.infinity, 2) == "inf")
        #expect(FigureText.duration(nanoseconds: 1e300).hasSuffix("s"))
    }
}
