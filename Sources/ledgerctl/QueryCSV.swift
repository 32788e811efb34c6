import LedgerJSON

/// Query rows as RFC 4180 CSV for spreadsheets: a header row of the union of the rows' keys, then one row each;
/// money stays integer pence and rates basis points, nested values are compact JSON in one cell.
enum QueryCSV {
    /// The header and the rows.
    static func lines(_ rows: [JSONValue]) -> [String] {
        let objects = rows.map { $0.objectValue ?? [:] }
        let keys = QueryCell.ordered(Set(objects.flatMap(\.keys)))
        let body = objects.map { object in
            keys.map { key in CSVRow.field(cell(object[key])) }.joined(separator: ",")
        }
        return [keys.map(CSVRow.field).joined(separator: ",")] + body
    }

    private static func cell(_ value: JSONValue?) -> String {
        guard let value, !value.isNull else { return "" }
        return value.stringValue ?? value.canonicalString
    }
}
