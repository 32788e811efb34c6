import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerctl tables: fitted to the terminal, --wide, --columns, --limit and the pager")
struct TableTests {
    /// A daemon loaded with a demo whose payments include withholdings.
    private static func loaded() async throws -> DaemonProcess {
        let daemon = try DaemonProcess()
        try daemon.start()
        let demo = try await LedgerctlProcess.run(["demo", "--cases", "20"], socket: daemon.socketPath)
        #expect(demo.status == 0, "\(demo.stderr)")
        return daemon
    }

    /// The table's rows: the lines before the summary that start as a row does (`row`), not the lines beneath.
    private func rows(_ outcome: LedgerctlProcess.Outcome, _ row: Regex<Substring>) -> [String] {
        let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().prefix { !$0.isEmpty }.filter { $0.prefixMatch(of: row) != nil }
    }

    @Test("every query and history fits 80 columns by default, money whole, units in headers, reasons shown")
    func fitsEightyColumns() async throws {
        let daemon = try await Self.loaded()
        defer { daemon.stop() }
        let queries = [
            ["query", "payments", "commissioner", "LA1"], ["query", "payments", "contract", "K000004"],
            ["query", "payments", "provider", "P0001"], ["query", "quality", "provider", "P0001"],
            ["query", "market", "commissioner", "LA1"], ["query", "audit", "exceptions"],
            ["query", "audit", "case", "C000004"], ["history", "case", "C000004"],
        ]
        for words in queries {
            let outcome = try await LedgerctlProcess.run(words, socket: daemon.socketPath)
            #expect(outcome.status == 0, "\(words): \(outcome.stderr)")
            let widest = outcome.lines.max { $0.count < $1.count } ?? ""
            #expect(widest.count <= 80, "\(words) is \(widest.count) wide: \(widest)")
            #expect(outcome.lines.dropFirst().allSatisfy { !$0.hasSuffix("£") }, "no amount split from its £")
        }

        let payments = try await LedgerctlProcess.run(
            ["query", "payments", "commissioner", "LA1"],
            socket: daemon.socketPath
        )
        let header = try #require(payments.lines.first)
        #expect(header.contains(/^contract +period +due £ +withheld £ +paid £ +outstanding £ +late$/), "\(header)")
        // Every money cell is whole pounds and pence; no row carries a bare currency sign.
        for row in rows(payments, /K\d+\s/) {
            let cells = row.split(separator: " ")
            #expect(cells.count == 7, "\(row)")
            #expect(cells[2...5].allSatisfy { $0.wholeMatch(of: /-?\d{1,3}(,\d{3})*\.\d\d/) != nil }, "\(row)")
        }
        let withheld = payments.lines.filter { $0.hasPrefix("    withheld: ") }
        #expect(!withheld.isEmpty, "withholding reasons are shown beneath their row")
        #expect(withheld.allSatisfy { $0.contains("reason ") && $0.contains("amount £") }, "\(withheld)")

        let history = try await LedgerctlProcess.run(["history", "case", "C000004"], socket: daemon.socketPath)
        #expect(history.lines.first?.contains(/^position +recorded UTC +decision +amount £/) == true)
        #expect(history.lines.contains { $0.hasPrefix("    ") && $0.contains(" — ") }, "who and what beneath")
        #expect(history.lines.contains { $0.hasPrefix("    ") && $0.contains(/\u{2014} basis [a-z-]+$/) })
    }

    @Test("a wider terminal shows more columns; --wide shows every one whole; --columns picks")
    func widerAndPicked() async throws {
        let daemon = try await Self.loaded()
        defer { daemon.stop() }
        let words = ["query", "payments", "commissioner", "LA1"]
        let wider = try await LedgerctlProcess.run(words, socket: daemon.socketPath, environment: ["COLUMNS": "160"])
        let header = try #require(wider.lines.first)
        #expect(header.hasPrefix("contract ") && header.contains(" model "), "\(header)")
        #expect(wider.lines.allSatisfy { $0.count <= 160 })

        let wide = try await LedgerctlProcess.run(words + ["--wide"], socket: daemon.socketPath)
        #expect(wide.lines.first?.contains("due_core £") == true)
        #expect(wide.lines.contains { $0.hasPrefix("    line: component ") }, "payment lines beneath their row")
        let trail = try await LedgerctlProcess.run(["history", "case", "C000004", "--wide"], socket: daemon.socketPath)
        #expect(trail.lines.first?.contains("leaf_hash") == true)
        #expect(trail.lines.dropFirst().first?.contains(/\s[0-9a-f]{64}\s/) == true, "leaf hashes whole")

        let picked = try await LedgerctlProcess.run(
            words + ["--columns", "period,contract,paid"],
            socket: daemon.socketPath
        )
        #expect(picked.status == 0, "\(picked.stderr)")
        #expect(picked.lines.first == "period   contract    paid £")
        let unknown = try await LedgerctlProcess.run(words + ["--columns", "contract,frob"], socket: daemon.socketPath)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("ledgerctl: this answer has no column frob; its columns are contract, "))
    }

    @Test("--limit shows the first rows and says so; table options are refused with --json and --csv")
    func limit() async throws {
        let daemon = try await Self.loaded()
        defer { daemon.stop() }
        let words = ["query", "market", "commissioner", "LA1"]
        let limited = try await LedgerctlProcess.run(words + ["--limit", "2"], socket: daemon.socketPath)
        #expect(rows(limited, /(?:provider|consortium)-/).count == 2)
        #expect(limited.lines.contains { $0.wholeMatch(of: /\(the first 2 of \d+ rows\)/) != nil }, "\(limited.stdout)")
        for format in ["--json", "--csv"] {
            let refused = try await LedgerctlProcess.run(words + [format, "--limit", "2"], socket: daemon.socketPath)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("shape tables; \(format) gives every row and column"), "\(refused.stderr)")
        }
        let history = try await LedgerctlProcess.run(
            ["history", "case", "C000004", "--limit", "3"],
            socket: daemon.socketPath
        )
        #expect(rows(history, /\s*\d+\s\s\d{4}-\d\d-\d\d\s/).count == 3)
        #expect(history.lines.contains { $0.wholeMatch(of: /\(the first 3 of \d+ rows\)/) != nil })
        let zero = try await LedgerctlProcess.run(words + ["--limit", "0"], socket: daemon.socketPath)
        #expect(zero.status == 2 && zero.stderr.contains("--limit must be at least 1"))
    }

    @Test("on a terminal the output goes through $PAGER unless --no-pager; never when piped")
    func pager() async throws {
        let daemon = try await Self.loaded()
        defer { daemon.stop() }
        let ledgerctl = LedgerctlProcess.binary
        let command = "\(ledgerctl) query market commissioner LA1 --socket \(daemon.socketPath)"
        // script(1) gives ledgerctl a terminal; the pager here counts the lines it is given.
        let paged = try await Program.run(
            "/usr/bin/script",
            ["-qec", command, "/dev/null"],
            environment: ["PAGER": "wc -l", "COLUMNS": ""]
        )
        #expect(paged.status == 0)
        let count = try #require(Int(paged.output.trimmingCharacters(in: .whitespacesAndNewlines)), "\(paged.output)")
        #expect(count > 20)
        let direct = try await Program.run(
            "/usr/bin/script",
            ["-qec", command + " --no-pager", "/dev/null"],
            environment: ["PAGER": "wc -l", "COLUMNS": ""]
        )
        #expect(direct.output.hasPrefix("supplier "), "\(direct.output)")
        // A pager that quits after one line: no error, exit 0.
        let early = try await Program.run(
            "/usr/bin/script",
            ["-qec", "\(ledgerctl) query payments commissioner LA1 --wide --socket \(daemon.socketPath)", "/dev/null"],
            environment: ["PAGER": "head -1", "COLUMNS": ""]
        )
        #expect(early.status == 0)
        #expect(early.output.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("contract "), "\(early.output)")
        #expect(!early.output.contains("ledgerctl:"))
        let piped = try await LedgerctlProcess.run(
            ["query", "market", "commissioner", "LA1"],
            socket: daemon.socketPath,
            environment: ["PAGER": "wc -l"]
        )
        #expect(piped.lines.first?.hasPrefix("supplier ") == true)
    }
}
