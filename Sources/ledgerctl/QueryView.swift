import LedgerJSON

/// How one kind of answer is laid out as a table: the columns an auditor reads first, the text shown beneath each
/// row, and shorter names for some columns. Columns an answer has beyond these still show with `--wide`.
struct QueryView {
    /// Whether bare amounts are pence (a `payments` answer).
    var payments = false
    /// Names for paths whose generated name is long or unclear (`due.total` is `due`).
    var names: [String: String] = [:]
    /// The columns shown by default, in order; those an answer lacks are skipped.
    var defaults: [String] = []
    /// Columns of free text shown beneath each row instead of in it, joined by ` — `.
    var beneath: [String] = []
    /// What each element of a list is called on its line beneath the row, and the word before a text shown beneath,
    /// by column name (a list's elements are called by its name otherwise; text has no word before it).
    var labels: [String: String] = [:]
    /// Members kept whole, as compact JSON beneath the row, instead of flattened into columns.
    var opaque: Set<String> = []

    /// The view for the answer to the query `words`.
    static func forQuery(_ words: [String]) -> QueryView {
        switch (words.first, words.dropFirst().first) {
        case ("payments", _): payments
        case ("quality", _): quality
        case ("market", _): market
        case ("audit", "exceptions"): exceptions
        case ("audit", _): decisionTrail
        default: QueryView()
        }
    }

    /// Payment periods: what was due, withheld and paid, whether late, and why anything was withheld.
    static let payments = QueryView(
        payments: true,
        names: ["due.total": "due", "withheldTotal": "withheld", "withheld": "withholdings"],
        defaults: [
            "contract", "period", "tier", "due", "withheld", "paid", "outstanding", "late", "withholdings", "holders",
            "payers", "pass_throughs",
        ],
        labels: [
            "withholdings": "withheld", "lines": "line", "holders": "holder", "payers": "payer",
            "pass_throughs": "pass-through",
        ]
    )

    /// A provider's ratings and evaluations.
    static let quality = QueryView(
        defaults: ["position", "kind", "rating", "requirement", "offers", "rank", "selected"]
    )

    /// Spend by supplier.
    static let market = QueryView(defaults: ["supplier", "spend", "share"])

    /// Decisions an auditor would question.
    static let exceptions = QueryView(
        defaults: ["position", "kind", "commissioner", "stream"],
        beneath: ["detail"]
    )

    /// A case's, requirement's or contract's decisions (also `ledgerctl history`): what was decided and for how much;
    /// beneath, who decided, a sentence about it and its basis.
    static let decisionTrail = QueryView(
        names: ["type": "decision"],
        defaults: ["position", "recorded", "decision", "amount"],
        beneath: ["who", "what", "basis", "retracted"],
        labels: ["basis": "basis"],
        opaque: ["details"]
    )

    /// The rows flattened to paths, with `opaque` members kept whole.
    func flatten(_ rows: [JSONValue]) -> [[String: JSONValue]] {
        rows.map { QueryCell.flatten($0, opaque: opaque) }
    }

    /// Every column of `rows` (flattened), the defaults first, then the others in display order.
    func columns(of rows: [[String: JSONValue]]) -> [TableColumn] {
        let paths = QueryCell.ordered(Set(rows.flatMap(\.keys)))
        let columns = paths.map { path in column(path, values: rows.compactMap { $0[path] }) }
        let rank = { (column: TableColumn) in defaults.firstIndex(of: column.name) ?? defaults.count }
        return columns.enumerated().sorted { left, right in
            (rank(left.element), left.offset) < (rank(right.element), right.offset)
        }.map(\.element)
    }

    /// Whether `column` is shown beneath the row rather than in it.
    func isBeneath(_ column: TableColumn) -> Bool {
        column.isList || beneath.contains(column.name) || opaque.contains(column.path)
    }

    private func column(_ path: String, values: [JSONValue]) -> TableColumn {
        let key = path.split(separator: ".").last.map(String.init) ?? path
        let isList =
            values.contains { $0.arrayValue?.contains { !$0.isScalar } == true }
            || (!values.isEmpty && values.allSatisfy { $0.arrayValue?.isEmpty == true })
        let numbers = !values.isEmpty && values.allSatisfy { $0.isNull || $0.int64Value != nil }
        let unit: TableColumn.Unit =
            if isList || opaque.contains(path) {
                .none
            } else if numbers, QueryCell.isMoney(key, payments: payments) {
                .pounds
            } else if numbers, key.hasSuffix("Bp") {
                .percent
            } else if key == "recorded" {
                .utc
            } else {
                .none
            }
        var name = QueryCSV.snakeCase(path.replacing(".", with: "_"))
        for suffix in ["_pence", "_bp"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return TableColumn(name: names[path] ?? name, path: path, unit: unit, isList: isList)
    }
}
