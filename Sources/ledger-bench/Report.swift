import Foundation

/// Prints rows as an aligned table or as JSON.
enum Report {
    static func print(_ rows: [[String: String]], columns: [String], json: Bool) {
        if json {
            let objects = rows.map { row in
                "{"
                    + columns.map {
                        "\"\($0)\":" + (Double(row[$0] ?? "") != nil ? row[$0] ?? "null" : "\"\(row[$0] ?? "")\"")
                    }
                    .joined(separator: ",") + "}"
            }
            Swift.print("[" + objects.joined(separator: ",") + "]")
            return
        }
        let widths = columns.map { column in max(column.count, rows.map { ($0[column] ?? "").count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        Swift.print(line(columns))
        for row in rows { Swift.print(line(columns.map { row[$0] ?? "" })) }
    }
}
