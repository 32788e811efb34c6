import ArgumentParser
import LedgerClient

/// `ledgerctl query <words>`: an answer from the commissioning projections as a table, JSON or CSV.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ask the commissioning projections: payments, quality, market or audit.",
        discussion: """
            The words are passed to QUERY as they are:
              payments contract|provider|commissioner <id> [period]
              quality provider <id>
              market commissioner <id> [period]
              audit case|requirement|contract <id>, or audit exceptions [commissioner]
            A period is YYYY-MM or YYYY.
            Tables fit the terminal (80 columns when not a terminal, or $COLUMNS): the columns an auditor reads \
            first, then as many others as fit; --wide shows every column, --columns picks. Headers state their \
            unit (£ for pounds, % for percentages, UTC); lists such as withholdings (and, with --wide or \
            --columns, payment lines) are shown one per line beneath their row. The summary follows. On a terminal the output goes through $PAGER \
            (less -FRX when unset) unless --no-pager.
            --json prints the answer as sent: money in integer pence, rates in basis points. --csv is for \
            spreadsheets: one column per figure, money in pounds under headers ending _gbp, rates in basis points \
            under _bp, lists of payment lines and withholdings as JSON beside the sums of their amounts; --totals \
            adds a row summing the _gbp columns (unit rates excepted).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var table: TableOptions

    @Option(name: .long, help: "Answer only once the projections reflect this log position (read-your-writes).")
    var after: UInt64?

    @Flag(name: .long, help: "Print the rows and summary as one JSON object.")
    var json = false

    @Flag(name: .long, help: "Print the rows as CSV for a spreadsheet (one column per figure; money in pounds).")
    var csv = false

    @Flag(name: .long, help: "With --csv, add a last row summing every _gbp column.")
    var totals = false

    @Argument(help: "The query words, e.g. payments commissioner N01.")
    var words: [String]

    func validate() throws {
        if json, csv { throw ValidationError("--json and --csv cannot be used together") }
        if totals, !csv { throw ValidationError("--totals goes with --csv") }
        if json || csv { try table.validate(format: json ? "--json" : "--csv") }
    }

    func run() async throws {
        let answer = try await connection.withLedger { try await $0.query(words, after: after) }
        let view = QueryView.forQuery(words)
        let lines: [String] =
            if json {
                [answer.json.canonicalString]
            } else if csv {
                QueryCSV(payments: view.payments).lines(answer.rows, totals: totals)
            } else {
                try QueryTable(answer: answer, view: view, options: table, width: Terminal.width).lines()
            }
        table.print(lines)
    }
}
