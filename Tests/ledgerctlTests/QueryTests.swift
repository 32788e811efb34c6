import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerctl demo, query and history against a running ledgerd")
struct QueryTests {
    /// The last word of the demo's suggested command starting with `prefix`.
    private func suggested(_ prefix: String, in demo: LedgerctlProcess.Outcome) throws -> String {
        let line = try #require(demo.lines.first { $0.hasPrefix("  ledgerctl " + prefix + " ") }, "\(demo.stdout)")
        let words = line.split(separator: " ")
        return try #require(words.firstIndex(of: "#").map { String(words[$0 - 1]) })
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(
        "demo loads a scenario; payments, market and history read it as tables, JSON and CSV",
        .timeLimit(.minutes(1))
    )
    func demoThenQueries() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let socket = daemon.socketPath

        let demo = try LedgerctlProcess.run(["demo", "--seed", "7", "--cases", "6"], socket: socket)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.lines.first?.hasPrefix("loaded ") == true, "\(demo.stdout)")
        #expect(demo.stdout.contains("(seed 7, 6 cases)"))
        #expect(demo.stdout.contains("\nTry next:\n"))
        #expect(demo.stderr.isEmpty, "no progress line when stderr is not a terminal")
        let commissioner = try suggested("query payments commissioner", in: demo)
        let caseID = try suggested("history case", in: demo)

        let again = try LedgerctlProcess.run(["demo", "--seed", "7", "--cases", "6"], socket: socket)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.lines.first?.hasPrefix("loaded 0 events (seed 7, 6 cases); ") == true, "\(again.stdout)")
        #expect(again.stdout.contains("were already stored"))
        // Another seed, or the same seed with more cases, is refused before anything is written.
        let head = try #require(try daemon.connect().request("HELLO").firstMatch(of: /"head":(\d+)/)?.1)
        for (seed, cases) in [("8", "1"), ("7", "12")] {
            let foreign = try LedgerctlProcess.run(["demo", "--seed", seed, "--cases", cases], socket: socket)
            #expect(foreign.status == 1)
            #expect(foreign.stderr.hasPrefix("ledgerctl: the ledger's event at position "), "\(foreign.stderr)")
            #expect(foreign.stderr.contains("is not this demo's"))
            #expect(try daemon.connect().request("HELLO").contains(#""head":\#(head),"#), "nothing was written")
        }

        let payments = ["query", "payments", "commissioner", commissioner]
        let table = try LedgerctlProcess.run(payments, socket: socket)
        #expect(table.status == 0, "\(table.stderr)")
        let header = try #require(table.lines.first)
        #expect(header.hasPrefix("contract  "), "\(header)")
        #expect(header.contains("  due £  "), "headers state their unit: \(header)")
        #expect(table.lines.contains { $0.hasPrefix("commissioner ") && $0.hasSuffix(" " + commissioner) })
        let totalLine = try #require(table.lines.first { $0.hasPrefix("totals.due.total ") })
        #expect(totalLine.contains("£"), "pence shown as pounds: \(totalLine)")

        let machine = try LedgerctlProcess.run(payments + ["--json"], socket: socket)
        #expect(machine.status == 0, "\(machine.stderr)")
        #expect(machine.lines.count == 1)
        let answer = try json(machine.stdout)
        let rows = try #require(answer["rows"] as? [[String: Any]])
        let summary = try #require(answer["summary"] as? [String: Any])
        #expect(!rows.isEmpty)
        #expect(summary["count"] as? Int == rows.count)
        #expect(summary["commissioner"] as? String == commissioner)
        let contracts = Set(rows.compactMap { $0["contract"] as? String })
        let tableRows = table.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            .prefix { !$0.isEmpty }.filter { !$0.hasPrefix(" ") }
        #expect(tableRows.count == rows.count)
        #expect(tableRows.allSatisfy { contracts.contains(String($0.prefix { $0 != " " })) })

        // CSV for a spreadsheet: loaded with Python's csv module, its money columns sum to the JSON's pence.
        let csv = try LedgerctlProcess.run(payments + ["--csv", "--totals"], socket: socket)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.lines.count == 2 + rows.count)
        let csvHeader = try #require(csv.lines.first).split(separator: ",").map(String.init)
        #expect(csvHeader.first == "contract")
        for column in ["due_total_gbp", "due_core_gbp", "paid_gbp", "withheld_total_gbp", "due_on", "period"] {
            #expect(csvHeader.contains(column), "\(column) in \(csvHeader)")
        }
        let script = """
            import csv, json, sys
            from decimal import Decimal
            rows = list(csv.DictReader(sys.stdin))
            body, total = rows[:-1], rows[-1]
            sums = {c: str(sum(Decimal(r[c]) for r in body)) for c in ("due_total_gbp", "paid_gbp", "withheld_total_gbp")}
            print(json.dumps({"sums": sums, "totals": {c: total[c] for c in sums}, "first": total["contract"]}))
            """
        let loaded = try Program.run("/usr/bin/env", ["python3", "-c", script], input: csv.stdout)
        #expect(loaded.status == 0, "\(loaded.output)")
        let figures = try json(loaded.output)
        let sums = try #require(figures["sums"] as? [String: String])
        #expect(figures["totals"] as? [String: String] == sums, "the totals row is the columns' sum")
        #expect(figures["first"] as? String == "total")
        func pounds(_ pence: Int) -> String { String(format: "%d.%02d", pence / 100, pence % 100) }
        let duePence = rows.compactMap { ($0["due"] as? [String: Any])?["total"] as? Int }.reduce(0, +)
        #expect(sums["due_total_gbp"] == pounds(duePence))
        #expect(sums["paid_gbp"] == pounds(rows.compactMap { $0["paid"] as? Int }.reduce(0, +)))
        #expect(sums["withheld_total_gbp"] == pounds(rows.compactMap { $0["withheldTotal"] as? Int }.reduce(0, +)))

        let market = try LedgerctlProcess.run(["query", "market", "commissioner", commissioner], socket: socket)
        #expect(market.status == 0, "\(market.stderr)")
        let share = try #require(market.lines.first { $0.hasPrefix("smeShare ") })
        #expect(share.hasSuffix("%"), "basis points shown as a percentage, named without Bp: \(share)")
        #expect(market.lines.contains { $0.hasPrefix("spend ") && $0.contains("£") })

        let history = try LedgerctlProcess.run(["history", "case", caseID], socket: socket)
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.lines.first?.hasPrefix("position  recorded UTC  ") == true, "\(history.stdout)")
        #expect(history.lines.first?.hasSuffix("amount £") == true)
        #expect(history.lines.contains { $0.contains("need-assessed") })
        #expect(history.lines.contains { $0.contains("payment-made") && $0.contains(/\d\.\d\d$/) })
        let historyCSV = try LedgerctlProcess.run(["history", "case", caseID, "--csv"], socket: socket)
        #expect(historyCSV.status == 0, "\(historyCSV.stderr)")
        let historyHeader = try #require(historyCSV.lines.first).split(separator: ",").map(String.init)
        #expect(historyHeader.contains("amount_gbp") && historyHeader.contains("position"), "\(historyHeader)")
        let historyJSON = try LedgerctlProcess.run(["history", "case", caseID, "--json"], socket: socket)
        #expect(historyJSON.status == 0, "\(historyJSON.stderr)")
        let audit = try json(historyJSON.stdout)
        let entries = try #require(audit["rows"] as? [[String: Any]])
        #expect(entries.allSatisfy { ($0["leafHash"] as? String)?.count == 64 })
        #expect((audit["summary"] as? [String: Any])?["scope"] as? String == "case")
        #expect(history.lines.contains { $0.wholeMatch(of: /entries +(\d+)/)?.1 == "\(entries.count)" })
    }

    @Test("an unknown entity and bad query words are refused with the wire error", .timeLimit(.minutes(1)))
    func refusals() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let socket = daemon.socketPath

        let missing = try LedgerctlProcess.run(["query", "quality", "provider", "P9999"], socket: socket)
        #expect(missing.status == 1)
        #expect(missing.stderr == "ledgerctl: NOT_FOUND: no provider P9999\n")
        let missingCase = try LedgerctlProcess.run(["history", "case", "C9999", "--json"], socket: socket)
        #expect(missingCase.status == 1)
        #expect(missingCase.stderr.hasPrefix("ledgerctl: NOT_FOUND: "), "\(missingCase.stderr)")

        let badWords = try LedgerctlProcess.run(["query", "frobnicate", "x"], socket: socket)
        #expect(badWords.status == 1)
        #expect(badWords.stderr == "ledgerctl: BAD_REQUEST: unknown query; use payments, audit, quality or market\n")
        let badArity = try LedgerctlProcess.run(["query", "payments"], socket: socket)
        #expect(badArity.status == 1)
        #expect(badArity.stderr.hasPrefix("ledgerctl: BAD_REQUEST: usage: payments "))
        let beyond = try LedgerctlProcess.run(
            ["query", "--after", "99", "market", "commissioner", "LA1"],
            socket: socket
        )
        #expect(beyond.status == 1)
        #expect(beyond.stderr.contains("BAD_REQUEST"))

        let badScope = try LedgerctlProcess.run(["history", "person", "X"], socket: socket)
        #expect(badScope.status == 2)
        let both = try LedgerctlProcess.run(
            ["query", "--json", "--csv", "market", "commissioner", "LA1"],
            socket: socket
        )
        #expect(both.status == 2)
    }
}
