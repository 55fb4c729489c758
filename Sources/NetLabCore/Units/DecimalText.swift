/// A non-negative decimal number as written (`1.5`, `20000`, `2e6`), held exactly as
/// `significand × 10^exponent` so that unit conversions need no floating point.
struct DecimalText {
    var significand: UInt64
    var exponent: Int

    /// Reads a plain decimal: digits, an optional fraction, an optional `e`/`E` exponent.
    /// Returns nil for anything else (signs, empty text, more than 18 significant digits).
    init?(_ text: Substring) {
        var significand: UInt64 = 0
        var exponent = 0
        var digits = 0
        var sawPoint = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let digit = character.wholeNumberValue, character.isASCII {
                if significand == 0 && digit == 0 {
                    // Leading zeros carry no information.
                } else {
                    digits += 1
                    if digits > 18 { return nil }
                    significand = significand * 10 + UInt64(digit)
                }
                if sawPoint { exponent -= 1 }
            } else if character == "." && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index = text.index(after: index)
        }
        let mantissaText = text[text.startIndex..<index]
        guard mantissaText.contains(where: { $0.isASCII && $0.isNumber }) else { return nil }
        if index < text.endIndex {
            guard text[index] == "e" || text[index] == "E" else { return nil }
            let exponentText = text[text.index(after: index)...]
            guard !exponentText.isEmpty, exponentText.count <= 3,
                exponentText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let written = Int(exponentText)
            else { return nil }
            exponent += written
        }
        self.significand = significand
        self.exponent = exponent
    }

    /// `self × factor` if it is a whole number that fits in Int64; `.fractional` or `.tooLarge`
    /// otherwise.
    func times(_ factor: Int64) -> Result<Int64, ExactnessProblem> {
        if significand == 0 { return .success(0) }
        var value = significand.multipliedFullWidth(by: UInt64(factor))
        var scale = exponent
        // Multiply out positive exponents, divide out negative ones, watching for overflow and remainders.
        while scale > 0 {
            let high = value.high.multipliedReportingOverflow(by: 10)
            let low = value.low.multipliedFullWidth(by: 10)
            let (newHigh, carry) = high.partialValue.addingReportingOverflow(low.high)
            if high.overflow || carry { return .failure(.tooLarge) }
            value = (newHigh, low.low)
            scale -= 1
        }
        while scale < 0 {
            let (quotientHigh, remainderHigh) = value.high.quotientAndRemainder(dividingBy: 10)
            let (quotientLow, remainder) = UInt64(10).dividingFullWidth((remainderHigh, value.low))
            if remainder != 0 { return .failure(.fractional) }
            value = (quotientHigh, quotientLow)
            scale += 1
        }
        guard value.high == 0, value.low <= UInt64(Int64.max) else { return .failure(.tooLarge) }
        return .success(Int64(value.low))
    }

    /// The value as a Double (for quantities that are not counted in whole units, like rates).
    var doubleValue: Double {
        var value = Double(significand)
        var scale = exponent
        while scale > 0 { value *= 10; scale -= 1 }
        while scale < 0 { value /= 10; scale += 1 }
        return value
    }

    enum ExactnessProblem: Error { case fractional, tooLarge }

    /// `value / scale` printed with at most `maxFractionDigits` decimals, trailing zeros dropped
    /// (the last digit is truncated, not rounded).
    static func format(_ value: UInt64, scale: UInt64, maxFractionDigits: Int) -> String {
        let whole = value / scale
        var fraction = value % scale
        guard fraction != 0 else { return String(whole) }
        var digits = ""
        for _ in 0..<maxFractionDigits where fraction != 0 {
            fraction *= 10
            digits.append(String(fraction / scale))
            fraction %= scale
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        return digits.isEmpty ? String(whole) : "\(whole).\(digits)"
    }
}
