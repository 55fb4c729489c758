/// A plain-text table for people: a header row, a rule, and columns padded to their widest cell.
public struct TextTable: Sendable {
    /// Where a column's cells sit: names left, figures right.
    public enum Alignment: Sendable { case left, right }

    /// A column: its title and how its cells align.
    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// The columns, in order.
    public var columns: [Column]
    public private(set) var rows: [[String]] = []

    /// A table with these columns and no rows.
    public init(columns: [Column]) {
        self.columns = columns
    }

    /// Adds a row; missing trailing cells are left blank.
    /// - Precondition: no more cells than columns.
    public mutating func append(_ cells: [String]) {
        precondition(cells.count <= columns.count, "row has more cells than the table has columns")
        rows.append(cells + Array(repeating: "", count: columns.count - cells.count))
    }

    /// The width of the widest line `rendered()` gives.
    public var width: Int {
        columns.indices.reduce(0) { total, column in
            total + (column > 0 ? 2 : 0) + rows.reduce(columns[column].title.count) { max($0, $1[column].count) }
        }
    }

    /// A figure per row and column, side by side (`columnNames` across) when that fits in
    /// `width` characters, else one line per row and column: a matrix of any size fits a terminal.
    public static func grid(
        corner: String, rowNames: [String], columnTitle: String, columnNames: [String], valueTitle: String,
        cells: [[String]], width: Int = 100
    ) -> String {
        var wide = TextTable(columns: [.init(corner)] + columnNames.map { .init($0, alignment: .right) })
        for (row, name) in rowNames.enumerated() { wide.append([name] + cells[row]) }
        if wide.width <= width { return wide.rendered() }
        var long = TextTable(columns: [.init(corner), .init(columnTitle), .init(valueTitle, alignment: .right)])
        for (row, name) in rowNames.enumerated() {
            for (column, columnName) in columnNames.enumerated() {
                long.append([column == 0 ? name : "", columnName, cells[row][column]])
            }
        }
        return long.rendered()
    }

    /// The table as lines joined by newlines, columns separated by two spaces, no trailing spaces.
    /// Written into one string as it goes: a cluster's table runs to megabytes, and a list of its
    /// lines joined at the end would hold it twice.
    public func rendered() -> String {
        let widths = columns.indices.map { column in
            rows.reduce(columns[column].title.count) { max($0, $1[column].count) }
        }
        let lineWidth = widths.reduce(0, +) + 2 * max(0, widths.count - 1) + 1
        var text = ""
        text.reserveCapacity(lineWidth * (rows.count + 2))
        func append(_ cells: [String]) {
            var line = ""
            for (column, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                if column > 0 { line += "  " }
                line += columns[column].alignment == .right ? padding + cell : cell + padding
            }
            while line.last == " " { line.removeLast() }
            text += line
            text += "\n"
        }
        append(columns.map(\.title))
        text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { append(row) }
        return text
    }
}
