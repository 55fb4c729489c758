/// Names cut to fit a table column: each one longer than the limit becomes its first characters,
/// "…" and its number in the list, and a legend gives every cut name in full. Names within the
/// limit are kept as they are.
struct ShortNames {
    /// One label per name, in the names' order.
    var labels: [String]
    /// The cut names: (label, full name).
    var legend: [(label: String, name: String)]

    /// Column widths that let a flow table of flow, grouping and seven figures fit 100 columns.
    static let groupingLimit = 18
    static let flowLimit = 16

    init(_ names: [String], limit: Int) {
        labels = []
        legend = []
        for (index, name) in names.enumerated() {
            guard name.count > limit else {
                labels.append(name)
                continue
            }
            let number = String(index + 1)
            let label = String(name.prefix(max(1, limit - 1 - number.count))) + "…" + number
            labels.append(label)
            legend.append((label, name))
        }
    }

    /// The label of `name`: its short form if it was cut, else itself.
    func label(of name: String) -> String { legend.first { $0.name == name }?.label ?? name }

    /// Lines that give each cut name in full, under a title; empty when nothing was cut.
    func legendText(title: String, width: Int = 100) -> String {
        guard !legend.isEmpty else { return "" }
        var text = title + ":\n"
        for (label, name) in legend {
            text += SimulationReport.wrap("\(label) = \(name)", width: width) + "\n"
        }
        return text
    }
}
