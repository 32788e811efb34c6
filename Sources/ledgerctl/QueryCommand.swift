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
            A period is YYYY-MM or YYYY. Tables show pence as pounds and basis points as percentages, then the \
            summary; --json keeps the integers as sent. --csv is for spreadsheets: one column per figure, money \
            in pounds under headers ending _gbp, rates in basis points under _bp, lists of payment lines and \
            withholdings as JSON beside the sums of their amounts; --totals adds a row summing the _gbp columns \
            (unit rates excepted).
            """
    )

    @OptionGroup var connection: ConnectionOptions

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
    }

    func run() async throws {
        let answer = try await connection.withLedger { try await $0.query(words, after: after) }
        let output = Output()
        defer { output.flush() }
        if json {
            output.line(answer.json.canonicalString)
        } else if csv {
            QueryCSV(payments: words.first == "payments").lines(answer.rows, totals: totals).forEach(output.line)
        } else {
            QueryTable(answer: answer, payments: words.first == "payments").lines().forEach(output.line)
        }
    }
}
