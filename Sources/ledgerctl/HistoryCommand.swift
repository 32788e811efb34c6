import ArgumentParser
import LedgerClient

/// `ledgerctl history case|requirement|contract <id>`: the decision timeline, for auditors.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Print the decision timeline of a case, requirement or contract (QUERY audit).",
        discussion: """
            Everything connected is included: a case's requirements and contracts, a contract's requirement and \
            case. Each entry shows its log position, when it was recorded, the decision and its amount, and \
            beneath it who decided, what, and on what basis; --wide adds the stream, event id, leaf hash and the \
            event's details, --columns picks. Tables, the pager and --limit work as for query.
            """
    )

    /// What a history is of.
    enum Scope: String, ExpressibleByArgument, CaseIterable {
        case `case`, requirement, contract
    }

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var table: TableOptions

    @Option(name: .long, help: "Answer only once the projections reflect this log position (read-your-writes).")
    var after: UInt64?

    @Flag(name: .long, help: "Print the entries and summary as one JSON object.")
    var json = false

    @Flag(name: .long, help: "Print the entries as CSV for a spreadsheet (amounts in pounds under amount_gbp).")
    var csv = false

    func validate() throws {
        if json, csv { throw ValidationError("--json and --csv cannot be used together") }
        if json || csv { try table.validate(format: json ? "--json" : "--csv") }
    }

    @Argument(help: "case, requirement or contract.")
    var scope: Scope

    @Argument(help: "Its id.")
    var id: String

    func run() async throws {
        let answer = try await connection.withLedger {
            try await $0.query(["audit", scope.rawValue, id], after: after)
        }
        let view = QueryView.decisionTrail
        let lines: [String] =
            if json {
                [answer.json.canonicalString]
            } else if csv {
                QueryCSV(payments: false).lines(answer.rows)
            } else {
                try QueryTable(answer: answer, view: view, options: table, width: Terminal.width).lines()
            }
        table.print(lines)
    }
}
