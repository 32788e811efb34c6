import LedgerClient
import LedgerJSON

/// A query answer for people: the rows as a table (one column per flattened key), then the summary as key/value
/// lines.
struct QueryTable {
    /// The answer.
    let answer: QueryAnswer
    /// Whether it answers `payments`, whose bare amounts are pence.
    let payments: Bool

    /// The lines to print.
    func lines() -> [String] {
        let rows = answer.rows.map { QueryCell.flatten($0) }
        var lines = [String]()
        if rows.isEmpty {
            lines.append("(no rows)")
        } else {
            let keys = QueryCell.ordered(Set(rows.flatMap(\.keys)))
            var table = TextTable(headers: keys)
            table.rows = rows.map { row in
                keys.map { key in row[key].map { QueryCell.text($0, key: key, payments: payments) } ?? "" }
            }
            lines += table.lines()
        }
        lines.append("")
        let summary = QueryCell.flatten(answer.summary)
        let keys = QueryCell.ordered(Set(summary.keys))
        let width = (keys.map(\.count).max() ?? 0) + 2
        for key in keys {
            guard let value = summary[key] else { continue }
            let padding = String(repeating: " ", count: width - key.count)
            lines.append(key + padding + QueryCell.text(value, key: key, payments: payments))
        }
        return lines
    }
}
