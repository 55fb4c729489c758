import Foundation

/// A share of a whole as people write it, a percentage; ``FigureText/percent(_:decimals:signed:)``
/// writes one back.
public enum Share {
    /// The fraction `text` stands for: `5%` is 0.05. Nil unless it is a finite number of 0 or
    /// more followed by `%`. With `bareFractionsUpTo`, a number without `%` up to that bound is
    /// the fraction itself (`0.05`); above it (`5`) it could mean 5% or 500%, and is refused.
    public static func fraction(_ text: String, bareFractionsUpTo limit: Double? = nil) -> Double? {
        let isPercent = text.hasSuffix("%")
        let digits = (isPercent ? String(text.dropLast()) : text).trimmingCharacters(in: .whitespaces)
        guard let value = Double(digits), value.isFinite, value >= 0 else { return nil }
        if isPercent { return value / 100 }
        guard let limit, value <= limit else { return nil }
        return value
    }
}
