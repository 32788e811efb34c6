/// Columns of text aligned for a terminal: a header row, then the rows, columns two spaces apart, each row followed
/// by its lines beneath (indented); a column whose cells all read as numbers or amounts is right-aligned, header included.
struct TextTable {
    /// The column headers.
    var headers: [String]
    /// The rows, each with one cell per header.
    var rows: [[String]] = []
    /// Lines printed beneath each row, indented, by row index.
    var beneath: [Int: [String]] = [:]

    /// Cells longer than this are cut, ending in `…` (a hash, 64 hex digits, is kept whole); nil keeps them whole.
    var cellLimit: Int? = 64

    /// Lines beneath a row are indented by this much (their continuation lines by two more).
    static let indent = "    "

    /// The width lines beneath a row are wrapped to, at spaces; nil leaves them whole.
    var wrapWidth: Int?

    /// The width of the widest line of the table without the lines beneath.
    var width: Int {
        let widths = columnWidths()
        return widths.reduce(0, +) + 2 * max(widths.count - 1, 0)
    }

    /// The table's lines, without trailing spaces.
    func lines() -> [String] {
        let widths = columnWidths()
        let rightAligned = headers.indices.map { column in
            !rows.isEmpty && rows.allSatisfy { Self.readsAsNumber($0[column]) }
        }
        func line(_ row: [String]) -> String {
            let padded = row.indices.map { column in
                let cell = cut(row[column])
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned[column] ? padding + cell : cell + padding
            }
            return String(padded.joined(separator: "  ").reversed().drop { $0 == " " }.reversed())
        }
        var lines = [line(headers)]
        for (index, row) in rows.enumerated() {
            lines.append(line(row))
            for text in beneath[index] ?? [] {
                guard let wrapWidth else {
                    lines.append(Self.indent + text)
                    continue
                }
                lines += Format.wrap(text, width: wrapWidth, indent: Self.indent, continuation: Self.indent + "  ")
            }
        }
        return lines
    }

    private func columnWidths() -> [Int] {
        headers.indices.map { column in
            ([headers] + rows).map { cut($0[column]).count }.max() ?? 0
        }
    }

    private func cut(_ text: String) -> String {
        guard let cellLimit, text.count > cellLimit else { return text }
        return text.prefix(cellLimit - 1) + "…"
    }

    /// Whether `text` is a number or an amount (`-1,234.56`, `25.00%`); dates and periods are not.
    private static func readsAsNumber(_ text: String) -> Bool {
        text.drop { $0 == "-" }.allSatisfy { ($0.isASCII && $0.isNumber) || "£,.%".contains($0) }
    }
}
