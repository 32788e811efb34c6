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

    /// A row labelled `median` holding, for every figure all `runs` have, their median (the middle value, or the mean
    /// of the two middle ones), printed with as many decimals as the first run's; a text all runs share is kept, and
    /// a column that only some runs have, or that differs between them and is no figure, is left empty.
    static func medians(of runs: [[String: String]]) -> [String: String] {
        var row = runs.first ?? [:]
        row["run"] = "median"
        for column in row.keys where column != "run" {
            let texts = runs.map { $0[column] }
            let values = texts.compactMap { $0.flatMap(Double.init) }.sorted()
            guard values.count == runs.count else {
                if Set(texts).count > 1 { row[column] = nil }
                continue
            }
            let middle = values.count / 2
            let median = values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
            let decimals = row[column]?.split(separator: ".").dropFirst().first?.count ?? 0
            row[column] = String(format: "%.\(decimals)f", median)
        }
        return row
    }
}
