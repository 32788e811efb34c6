import LedgerJSON

/// Query rows as RFC 4180 CSV for spreadsheets: one flat column per figure, named in snake case after its path
/// (`due.core` is `due_core`); money in pounds with two decimals under a header ending in `_gbp`, basis points as
/// integers under `_bp`; a list of objects (payment lines, withholdings) as its compact JSON, so every reason is
/// kept, plus the sum of each of its money fields but rates (`withheld_value_gbp`); with `totals`, a last row summing
/// every `_gbp` column but rates.
struct QueryCSV {
    /// Whether bare amounts are pence (a `payments` answer); keys ending in `Pence` always are.
    let payments: Bool

    /// One cell: its text, and its pence when it is money (for the totals).
    private struct Cell {
        var text: String
        var pence: Int64?
    }

    /// The header, the rows and, with `totals`, the totals row.
    func lines(_ rows: [JSONValue], totals: Bool = false) -> [String] {
        let flat = rows.map(cells)
        let columns = QueryCell.ordered(Set(flat.flatMap(\.keys)))
        var lines = [columns.map(CSVRow.field).joined(separator: ",")]
        lines += flat.map { row in columns.map { CSVRow.field(row[$0]?.text ?? "") }.joined(separator: ",") }
        if totals {
            let sums = columns.map { column -> String in
                guard column.hasSuffix("_gbp"), !Self.isRate(column) else { return "" }
                let pence = flat.reduce(Int64(0)) { $0 &+ ($1[column]?.pence ?? 0) }
                return Format.plainPounds(pence: pence)
            }
            lines.append((["total"] + sums.dropFirst()).map(CSVRow.field).joined(separator: ","))
        }
        return lines
    }

    /// A row's cells by column name.
    private func cells(_ row: JSONValue) -> [String: Cell] {
        var cells = [String: Cell]()
        for (path, value) in QueryCell.flatten(row) {
            let name = path.split(separator: ".").last.map(String.init) ?? path
            let column = Self.snakeCase(path.replacing(".", with: "_"))
            if let pence = value.int64Value, isMoney(name) {
                cells[Self.moneyColumn(column)] = Cell(text: Format.plainPounds(pence: pence), pence: pence)
            } else if let elements = value.arrayValue {
                cells[column] = Cell(text: elements.allSatisfy(\.isScalar) ? scalars(elements) : value.canonicalString)
                for (field, pence) in moneySums(elements) {
                    cells[Self.moneyColumn(column + "_" + Self.snakeCase(field))] = Cell(
                        text: Format.plainPounds(pence: pence),
                        pence: pence
                    )
                }
            } else {
                cells[column] = Cell(text: value.isNull ? "" : value.stringValue ?? value.canonicalString)
            }
        }
        return cells
    }

    private func isMoney(_ name: String) -> Bool { QueryCell.isMoney(name, payments: payments) }

    private func scalars(_ elements: [JSONValue]) -> String {
        elements.map { $0.stringValue ?? $0.canonicalString }.joined(separator: "; ")
    }

    /// The sum of each money field of a list of objects, by field name.
    private func moneySums(_ elements: [JSONValue]) -> [String: Int64] {
        var sums = [String: Int64]()
        for element in elements {
            for (field, value) in element.objectValue ?? [:] where isMoney(field) && !Self.isRate(field) {
                if let pence = value.int64Value { sums[field, default: 0] &+= pence }
            }
        }
        return sums
    }

    /// Whether a money field or column is a rate (a unit rate, say), which is never summed.
    private static func isRate(_ name: String) -> Bool { name.lowercased().contains("rate") }

    /// `column` for money: its `_pence` suffix, if any, becomes `_gbp`.
    private static func moneyColumn(_ column: String) -> String {
        (column.hasSuffix("_pence") ? String(column.dropLast("_pence".count)) : column) + "_gbp"
    }

    /// `camelCase` words as `snake_case`.
    static func snakeCase(_ text: String) -> String {
        var result = ""
        for character in text {
            if character.isUppercase {
                if !result.isEmpty, result.last != "_" { result.append("_") }
                result += character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}
