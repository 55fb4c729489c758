import ArgumentParser
import NetLabCore

/// A positive whole number on the command line, written plainly (`100000`), with separators
/// (`100_000`) or in exponent form (`1e5`, `2.5e6`) as long as it is whole.
struct Count: ExpressibleByArgument, CustomStringConvertible {
    var value: Int

    init?(argument: String) {
        let text = argument.replacingOccurrencesOfUnderscore()
        if let plain = Int(text) {
            value = plain
        } else if let real = Double(text), real.isFinite, real == real.rounded(), abs(real) < 1e18,
            text.contains(where: { $0 == "e" || $0 == "E" })
        {
            value = Int(saturating: real)
        } else {
            return nil
        }
    }

    var description: String { String(value) }
}

extension String {
    fileprivate func replacingOccurrencesOfUnderscore() -> String {
        String(filter { $0 != "_" })
    }
}
