import LedgerJSON

/// One column of a query or history table: its name (for `--columns`), where its values are in a row, and the unit
/// its header states.
struct TableColumn: Hashable {
    /// How a column's values read; the header names it, so cells carry no symbol.
    enum Unit: Hashable {
        /// Text, counts and flags.
        case none
        /// Integer pence, shown as pounds with two decimals.
        case pounds
        /// Basis points, shown as a percentage with two decimals.
        case percent
        /// RFC 3339 timestamps, shown to the second.
        case utc
    }

    /// The column's name, e.g. `due` or `pass_through_paid`.
    let name: String
    /// The dotted path of its values in a flattened row, e.g. `due.total`.
    let path: String
    /// The unit of its values.
    let unit: Unit
    /// Whether its values are lists of objects (payment lines, withholdings), shown one per line beneath the row.
    let isList: Bool

    /// The header: the name, then the unit (`due £`, `share %`, `recorded UTC`).
    var header: String {
        switch unit {
        case .none: name
        case .pounds: name + " £"
        case .percent: name + " %"
        case .utc: name + " UTC"
        }
    }

    /// `value` as a cell of this column.
    func text(_ value: JSONValue) -> String {
        switch (unit, value) {
        case (.pounds, _): value.int64Value.map { Format.amount(pence: $0) } ?? QueryCell.text(value)
        case (.percent, _):
            value.int64Value.map { Format.percent(basisPoints: $0, symbol: false) } ?? QueryCell.text(value)
        case (.utc, .string(let timestamp)): Format.utc(timestamp)
        default: QueryCell.text(value)
        }
    }
}
