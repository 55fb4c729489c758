/// Splits human-written quantities (`1.5ms`, `9000B`, `25Gbps`) into number and unit and converts
/// them, with errors that name the input and list the accepted forms.
enum QuantityParser {
    /// Parses `text` as a number followed by one of `units` and returns the exact whole count of
    /// the smallest unit.
    static func parseExact(
        _ text: String, quantity: String, units: [(name: String, scale: Int64)],
        examples: String, smallestUnit: String
    ) throws(UnitParseError) -> Int64 {
        let (number, unit) = try split(text, quantity: quantity, units: units.map(\.name), examples: examples)
        let factor = units.first { $0.name == unit }!.scale
        switch number.times(factor) {
        case .success(let value):
            return value
        case .failure(.fractional):
            throw UnitParseError(
                input: text, problem: "is finer than \(smallestUnit)",
                fix: "write \(quantity) as a whole number of \(smallestUnit) or more, e.g. \(examples)")
        case .failure(.tooLarge):
            throw UnitParseError(
                input: text, problem: "is too large for \(quantity)", fix: largestFix(units, examples: examples))
        }
    }

    /// The fix for a value past what 64 bits hold: the largest value, in the largest unit.
    static func largestFix(_ units: [(name: String, scale: Int64)], examples: String) -> String {
        guard let largest = units.max(by: { $0.scale < $1.scale }) else { return "use e.g. \(examples)" }
        return "use at most \(Int64.max / largest.scale)\(largest.name), e.g. \(examples)"
    }

    /// Parses `text` as a number followed by one of `units` and returns the number in units of
    /// the smallest one as a Double, for quantities that need not be whole (rates).
    static func parseApproximate(
        _ text: String, quantity: String, units: [(name: String, factor: Double)], examples: String
    ) throws(UnitParseError) -> Double {
        let (number, unit) = try split(text, quantity: quantity, units: units.map(\.name), examples: examples)
        let value = number.doubleValue * units.first { $0.name == unit }!.factor
        guard value.isFinite else {
            throw UnitParseError(input: text, problem: "is too large for \(quantity)", fix: "use e.g. \(examples)")
        }
        return value
    }

    private static func split(
        _ text: String, quantity: String, units: [String], examples: String
    ) throws(UnitParseError) -> (DecimalText, String) {
        let trimmed = text.trimmingSpaces
        if trimmed.first == "-" {
            throw UnitParseError(input: text, problem: "is negative", fix: "use a non-negative value, e.g. \(examples)")
        }
        let unitStart = endOfNumber(in: trimmed)
        let numberText = trimmed[trimmed.startIndex..<unitStart]
        let unitText = String(trimmed[unitStart...].trimmingSpaces)
        guard !numberText.isEmpty, let number = DecimalText(numberText) else {
            // A plain run of digits that does not parse has too many of them.
            let digitsOnly = numberText.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
            if !numberText.isEmpty, digitsOnly, numberText.filter({ $0 == "." }).count <= 1 {
                throw UnitParseError(input: text, problem: "is too large for \(quantity)", fix: "use e.g. \(examples)")
            }
            throw UnitParseError(
                input: text, problem: "is not \(quantity)", fix: formFix(quantity, units: units, examples: examples))
        }
        if unitText.isEmpty {
            throw UnitParseError(
                input: text, problem: "has no unit", fix: formFix(quantity, units: units, examples: examples))
        }
        guard let unit = units.first(where: { $0 == unitText }) else {
            throw UnitParseError(
                input: text, problem: "has an unknown unit \"\(unitText)\"",
                fix: formFix(quantity, units: units, examples: examples))
        }
        return (number, unit)
    }

    /// The fix for text that is not a number and a unit, built only for an error: quantities are
    /// parsed by the hundred thousand in a cluster's file.
    private static func formFix(_ quantity: String, units: [String], examples: String) -> String {
        "write \(quantity) as a number and a unit, e.g. \(examples) (units: \(units.joined(separator: ", ")))"
    }

    /// Where the number ends: after digits and one decimal point, and an `e` exponent only when a
    /// digit follows it (so the `e` of a unit is never taken for one).
    private static func endOfNumber(in text: Substring) -> Substring.Index {
        var index = text.startIndex
        func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }
        while index < text.endIndex, isDigit(text[index]) || text[index] == "." {
            index = text.index(after: index)
        }
        if index < text.endIndex, text[index] == "e" || text[index] == "E" {
            let next = text.index(after: index)
            if next < text.endIndex, isDigit(text[next]) {
                index = next
                while index < text.endIndex, isDigit(text[index]) { index = text.index(after: index) }
            }
        }
        return index
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}

extension String {
    var trimmingSpaces: Substring { Substring(self).trimmingSpaces }
}
