import LedgerClient
import LedgerJSON

/// A query answer for people: the rows as a table fitted to the terminal (or the columns asked for), lists and long
/// text beneath each row, then the summary as key/value lines.
struct QueryTable {
    /// The answer.
    let answer: QueryAnswer
    /// How its kind of answer is laid out.
    let view: QueryView
    /// `--wide`, `--columns` and `--limit`.
    let options: TableOptions
    /// The width the default columns are fitted to.
    let width: Int

    /// The lines to print; fails when `--columns` names a column the answer does not have.
    func lines() throws(CommandFailure) -> [String] {
        let flat = view.flatten(answer.rows)
        let shown = Array(flat.prefix(options.limit ?? flat.count))
        var lines = [String]()
        if shown.isEmpty {
            lines.append("(no rows)")
        } else {
            let (table, hidden) = try self.table(shown, columns: view.columns(of: flat))
            lines += table.lines()
            if shown.count < flat.count {
                lines.append("(the first \(Format.count(shown.count)) of \(Format.count(flat.count)) rows)")
            }
            if !hidden.isEmpty {
                lines += wrap(
                    "(not shown at \(width) columns: \(hidden.joined(separator: ", ")); "
                        + "--wide shows every column, --columns picks)",
                    indent: ""
                )
            }
        }
        return lines + [""] + summary()
    }

    /// The table of `rows` and the default columns left out to fit the width.
    private func table(
        _ rows: [[String: JSONValue]],
        columns all: [TableColumn]
    ) throws(CommandFailure) -> (TextTable, hidden: [String]) {
        var chosen: [TableColumn]
        if let names = options.columns {
            chosen = try names.map { name throws(CommandFailure) in
                guard let column = all.first(where: { $0.name == name }) else {
                    let known = all.map(\.name).joined(separator: ", ")
                    throw .usage("this answer has no column \(name); its columns are \(known)")
                }
                return column
            }
        } else if options.wide {
            chosen = all
        } else {
            chosen = all.filter { view.defaults.contains($0.name) || view.beneath.contains($0.name) }
        }
        var inline = chosen.filter { !view.isBeneath($0) }
        let rank = { (column: TableColumn) in view.beneath.firstIndex(of: column.name) ?? view.beneath.count }
        let below = chosen.filter(view.isBeneath).enumerated().sorted { left, right in
            (rank(left.element), left.offset) < (rank(right.element), right.offset)
        }.map(\.element)
        var hidden = [String]()
        if fitted {
            while inline.count > 1, make(rows, inline, below).width > width {
                hidden.insert(inline.removeLast().name, at: 0)
            }
            if hidden.isEmpty {
                for column in all where !chosen.contains(column) && !view.isBeneath(column) {
                    if make(rows, inline + [column], below).width <= width { inline.append(column) }
                }
            }
        }
        var table = make(rows, inline, below)
        if fitted { table.wrapWidth = width }
        return (table, hidden)
    }

    /// Whether the table is fitted to the width (neither `--wide` nor `--columns`); only then are long cells cut.
    private var fitted: Bool { options.columns == nil && !options.wide }

    private func make(_ rows: [[String: JSONValue]], _ inline: [TableColumn], _ below: [TableColumn]) -> TextTable {
        var table = TextTable(headers: inline.map(\.header))
        if !fitted { table.cellLimit = nil }
        table.rows = rows.map { row in inline.map { column in row[column.path].map(column.text) ?? "" } }
        for (index, row) in rows.enumerated() {
            let lines = beneath(row, below)
            if !lines.isEmpty { table.beneath[index] = lines }
        }
        return table
    }

    /// The lines beneath `row`: its text columns joined by ` — `, then one line per element of each list.
    private func beneath(_ row: [String: JSONValue], _ columns: [TableColumn]) -> [String] {
        let texts = columns.filter { !$0.isList }.compactMap { column -> String? in
            switch row[column.path] {
            case .none, .null, .bool(false): nil
            case .bool(true): column.name
            case .object(let members) where !members.isEmpty: column.name + " " + QueryCell.text(.object(members))
            case .some(let value):
                QueryCell.text(value).isEmpty
                    ? nil : [view.labels[column.name], QueryCell.text(value)].compactMap { $0 }.joined(separator: " ")
            }
        }
        var lines = texts.isEmpty ? [] : [texts.joined(separator: " — ")]
        for column in columns where column.isList {
            for element in row[column.path]?.arrayValue ?? [] {
                let label = view.labels[column.name] ?? column.name
                lines.append(label + ": " + QueryCell.describe(element, payments: view.payments))
            }
        }
        return lines
    }

    /// `text` wrapped to the width when the table is fitted, continuation lines indented two more.
    private func wrap(_ text: String, indent: String) -> [String] {
        guard fitted else { return [indent + text] }
        return Format.wrap(text, width: width, indent: indent, continuation: indent + "  ")
    }

    /// The summary as `key  value` lines, lists of objects one element per line beneath their key. A key's `Pence` or
    /// `Bp` ending is dropped where its value shows as pounds or a percentage.
    private func summary() -> [String] {
        let summary = QueryCell.flatten(answer.summary)
        let entries = QueryCell.ordered(Set(summary.keys)).compactMap { key -> (shown: String, key: String)? in
            guard let value = summary[key] else { return nil }
            let suffix = value.int64Value == nil ? nil : ["Pence", "Bp"].first(where: key.hasSuffix)
            return (suffix.map { String(key.dropLast($0.count)) } ?? key, key)
        }
        let width = (entries.map(\.shown.count).max() ?? 0) + 2
        var lines = [String]()
        for (shown, key) in entries {
            guard let value = summary[key] else { continue }
            if let elements = value.arrayValue, !elements.allSatisfy(\.isScalar) {
                lines.append(shown)
                for element in elements {
                    lines += wrap(QueryCell.describe(element, payments: view.payments), indent: TextTable.indent)
                }
            } else {
                let padding = String(repeating: " ", count: width - shown.count)
                let text =
                    value.arrayValue?.isEmpty == true
                    ? "none" : QueryCell.text(value, key: key, payments: view.payments)
                lines.append(shown + padding + text)
            }
        }
        return lines
    }
}
