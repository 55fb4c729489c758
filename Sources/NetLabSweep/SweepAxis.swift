import NetLabCore
import NetLabModel
import NetLabSpec

/// One `--set PATH=VALUES` of a sweep: where, and the values it takes, as written (`1000/s`,
/// `10Gbps`) or expanded from a range (`64B..64KiB:x4`, `1..8:+1`).
public struct SweepAxis: Sendable, Equatable {
    /// The value the axis changes.
    public let path: ParameterPath
    /// The values in order, as text the topology reader parses (numbers stay numbers).
    public let values: [String]

    /// Parses `PATH=VALUES`: a comma-separated list, or one range `LOW..HIGH:xFACTOR` (geometric)
    /// or `LOW..HIGH:+STEP` (arithmetic; `LOW..HIGH` steps by 1), in one unit family (bytes,
    /// durations, bit rates, events per second or plain numbers).
    public init(parsing text: String) throws(SweepError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw SweepError(
                "--set", "\"\(text)\" has no '='", fix: "write PATH=VALUES, e.g. flows[http].rate=1000/s,2000/s")
        }
        path = try ParameterPath(parsing: String(text[..<equals]))
        let list = String(text[text.index(after: equals)...])
        guard !list.isEmpty else {
            throw SweepError("--set", "\(path) has no values", fix: "give values after '=', separated by commas")
        }
        if list.contains("..") {
            values = try Self.range(list, path: path)
        } else {
            values = list.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: .whitespaces)
            }
            if values.contains(where: \.isEmpty) {
                throw SweepError("--set", "\(path)=\(list) has an empty value", fix: "remove the extra comma")
            }
        }
        guard values.count <= 10_000 else {
            throw SweepError(
                "--set", "\(path) takes \(values.count) values", fix: "sweep at most 10000 values per axis")
        }
    }

    /// The value as a JSON value: numbers as numbers, the rest as strings.
    public static func jsonValue(_ text: String) -> JSONNode.Value {
        Double(text) != nil && text.first.map { $0.isNumber || $0 == "-" } == true ? .number(text) : .string(text)
    }

    static func range(_ text: String, path: ParameterPath) throws(SweepError) -> [String] {
        let fail = { (problem: String, fix: String) in SweepError("--set", "\(path)=\(text): \(problem)", fix: fix) }
        let (bounds, step): (Substring, Substring?) = {
            if let colon = text.lastIndex(of: ":") { return (text[..<colon], text[text.index(after: colon)...]) }
            return (Substring(text), nil)
        }()
        let ends = bounds.components(separatedBy: "..")
        guard ends.count == 2, let low = Quantity(ends[0]), let high = Quantity(ends[1]) else {
            throw fail("not a range", "write LOW..HIGH:xFACTOR or LOW..HIGH:+STEP, e.g. 64B..64KiB:x4")
        }
        guard low.family == high.family else {
            throw fail("the ends are in different kinds of unit", "give both ends in one kind (bytes, time, rate)")
        }
        guard low.base <= high.base else { throw fail("the low end is above the high end", "swap them") }
        var values: [Double] = []
        switch step.map({ $0.first }) {
        case "x"?:
            guard let factor = Double(step!.dropFirst()), factor > 1 else {
                throw fail("the factor must be above 1", "e.g. :x2 doubles each time")
            }
            var value = low.base
            while value <= high.base * (1 + 1e-12), values.count <= 10_000 {
                values.append(value)
                value *= factor
            }
        case "+"?, nil:
            let increment =
                step.flatMap { Quantity(String($0.dropFirst()), family: low.family) }?.base
                ?? (step == nil ? low.unitSize : -1)
            guard increment > 0 else {
                throw fail("the step must be positive", "e.g. :+1 or :+100us, in the ends' kind of unit")
            }
            var index = 0.0
            while low.base + index * increment <= high.base * (1 + 1e-12), values.count <= 10_000 {
                values.append(low.base + index * increment)
                index += 1
            }
        default:
            throw fail("unknown step \"\(step!)\"", "use :xFACTOR (geometric) or :+STEP (arithmetic)")
        }
        return values.map { low.format($0) }
    }
}

/// A number with a unit: its value in the family's base unit (bytes, picoseconds, bit/s,
/// events/s, or a plain number), and the unit it was written in, to write values back.
struct Quantity {
    enum Family: Equatable { case plain, bytes, time, bitRate, eventRate }
    let family: Family
    let base: Double
    let unit: String
    let unitSize: Double

    static let units: [(suffix: String, family: Family, size: Double)] = [
        ("KiB", .bytes, 1024), ("MiB", .bytes, 1_048_576), ("GiB", .bytes, 1_073_741_824), ("KB", .bytes, 1e3),
        ("MB", .bytes, 1e6), ("GB", .bytes, 1e9), ("B", .bytes, 1),
        ("Gbps", .bitRate, 1e9), ("Mbps", .bitRate, 1e6), ("kbps", .bitRate, 1e3), ("bps", .bitRate, 1),
        ("/s", .eventRate, 1),
        ("ps", .time, 1), ("ns", .time, 1e3), ("us", .time, 1e6), ("ms", .time, 1e9), ("s", .time, 1e12),
    ]

    init?(_ text: String, family wanted: Family? = nil) {
        let text = text.trimmingCharacters(in: .whitespaces)
        for (suffix, family, size) in Self.units where text.hasSuffix(suffix) {
            if let wanted, wanted != family { continue }
            guard let number = Double(text.dropLast(suffix.count)), number.isFinite, number >= 0 else { continue }
            self.family = family
            base = number * size
            unit = suffix
            unitSize = size
            return
        }
        guard wanted == nil || wanted == .plain, let number = Double(text), number.isFinite else { return nil }
        family = .plain
        base = number
        unit = ""
        unitSize = 1
    }

    /// `value` (in base units) written in this quantity's unit, exactly when it divides, else in
    /// the base unit.
    func format(_ value: Double) -> String {
        let scaled = value / unitSize
        if scaled == scaled.rounded(), abs(scaled) < 1e15 { return "\(Int64(saturating: scaled))\(unit)" }
        // Beyond what an integer holds the topology reader refuses the value anyway; say it as written.
        guard abs(value) < 9e18 else { return "\(scaled)\(unit)" }
        if family == .plain || family == .eventRate { return "\(scaled)\(unit)" }
        let base = Self.units.first { $0.family == family && $0.size == 1 }!.suffix
        return "\(Int64(saturating: value.rounded()))\(base)"
    }
}
