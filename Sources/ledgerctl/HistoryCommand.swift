import ArgumentParser
import LedgerClient
import LedgerJSON

/// `ledgerctl history case|requirement|contract <id>`: the decision timeline, for auditors.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Print the decision timeline of a case, requirement or contract (QUERY audit).",
        discussion: """
            Everything connected is included: a case's requirements and contracts, a contract's requirement and \
            case. Each entry shows when it was recorded, who decided, what, on what basis, the amount in pounds, \
            its log position and leaf hash (abbreviated; --json has it whole).
            """
    )

    /// What a history is of.
    enum Scope: String, ExpressibleByArgument, CaseIterable {
        case `case`, requirement, contract
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "Answer only once the projections reflect this log position (read-your-writes).")
    var after: UInt64?

    @Flag(name: .long, help: "Print the entries and summary as one JSON object.")
    var json = false

    @Flag(name: .long, help: "Print the entries as CSV for a spreadsheet (amounts in pounds under amount_gbp).")
    var csv = false

    func validate() throws {
        if json, csv { throw ValidationError("--json and --csv cannot be used together") }
    }

    @Argument(help: "case, requirement or contract.")
    var scope: Scope

    @Argument(help: "Its id.")
    var id: String

    /// Leaf hashes are shown with this many hex digits.
    static let leafDigits = 12

    func run() async throws {
        let answer = try await connection.withLedger {
            try await $0.query(["audit", scope.rawValue, id], after: after)
        }
        let output = Output()
        defer { output.flush() }
        if json {
            output.line(answer.json.canonicalString)
            return
        }
        if csv {
            QueryCSV(payments: false).lines(answer.rows).forEach(output.line)
            return
        }
        var table = TextTable(headers: ["when", "who", "what", "basis", "amount", "position", "leaf", "detail"])
        table.rows = answer.rows.map { entry in
            let retracted = entry["retracted"]?.boolValue == true ? " (retracted)" : ""
            return [
                entry["recorded"]?.stringValue ?? "", entry["who"]?.stringValue ?? "",
                (entry["type"]?.stringValue ?? "") + retracted, entry["basis"]?.stringValue ?? "",
                entry["amountPence"]?.int64Value.map { Format.pounds(pence: $0) } ?? "",
                entry["position"].map(\.canonicalString) ?? "",
                String((entry["leafHash"]?.stringValue ?? "").prefix(Self.leafDigits)),
                entry["what"]?.stringValue ?? "",
            ]
        }
        table.lines().forEach(output.line)
        let summary = answer.summary
        let exceptions = summary["exceptions"]?.arrayValue ?? []
        output.line("")
        output.line("entries     \(summary["entries"].map(\.canonicalString) ?? "?")")
        output.line("retracted   \(summary["retracted"].map(\.canonicalString) ?? "?")")
        output.line("exceptions  \(exceptions.count)")
        for exception in exceptions {
            let kind = exception["kind"]?.stringValue ?? "?"
            output.line("  \(kind) on \(exception["stream"]?.stringValue ?? "?")")
        }
    }
}
