/// Columns of text aligned for a terminal: a header row, then the rows, columns two spaces apart; a column whose
/// cells all read as numbers or amounts is right-aligned.
struct TextTable {
    /// The column headers.
    var headers: [String]
    /// The rows, each with one cell per header.
    var rows: [[String]] = []

    /// Cells longer than this are cut, ending in `…`.
    static let maxCellWidth = 48

    /// The table's lines, without trailing spaces.
    func lines() -> [String] {
        let cells = ([headers] + rows).map { $0.map(Self.cut) }
        let widths = headers.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        let rightAligned = headers.indices.map { column in
            !rows.isEmpty && rows.allSatisfy { Self.readsAsNumber($0[column]) }
        }
        return cells.map { row in
            let padded = row.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - row[column].count)
                return rightAligned[column] ? padding + row[column] : row[column] + padding
            }
            return String(padded.joined(separator: "  ").reversed().drop { $0 == " " }.reversed())
        }
    }

    private static func cut(_ text: String) -> String {
        text.count <= maxCellWidth ? text : text.prefix(maxCellWidth - 1) + "…"
    }

    private static func readsAsNumber(_ text: String) -> Bool {
        text.allSatisfy { ($0.isASCII && $0.isNumber) || "£,.-%".contains($0) }
    }
}
