import Foundation
import LedgerTestSupport
import Testing

/// Every `ledgerctl` command the user's guides show is one ledgerctl accepts: an operator copies them. (The runbook
/// once said `ledgerctl --socket PATH status`, which exits 2 with "Unknown option '--socket'".)
@Suite("Commands in the guides")
struct DocumentedCommandsTests {
    static let guides = ["README.md", "ops/RUNBOOK.md", "Protocols/line-protocol.md", "Protocols/proofs.md"]

    @Test("each ledgerctl line of a code block, and each inline command naming --socket, parses")
    func commandsParse() async throws {
        let directory = try TemporaryDirectory(prefix: "documented")
        var checked = 0
        for guide in Self.guides {
            for (line, command) in Self.commands(in: try SpecDocument(guide).text) {
                let runnable = Self.runnable(command, in: directory)
                let outcome = try await Program.run(
                    "/usr/bin/env",
                    ["LEDGER_SOCKET=\(directory.appending("absent.sock"))", "/bin/sh", "-c", runnable + " </dev/null"]
                )
                // Exit 2 is a usage error, or a file the command names that is not here ("cannot open").
                #expect(
                    outcome.status != 2 || outcome.output.contains("cannot open"),
                    "\(guide):\(line): \(command)\n\(outcome.output)"
                )
                checked += 1
            }
        }
        #expect(checked >= 20, "found only \(checked) commands: has the guides' layout changed?")
    }

    /// The ledgerctl commands in `text` with their line numbers: lines of fenced code blocks that run ledgerctl, and
    /// inline code spans that run it with `--socket` (complete commands, not mentions of a subcommand).
    static func commands(in text: String) -> [(Int, String)] {
        var found: [(Int, String)] = []
        var fenced = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                fenced.toggle()
                continue
            }
            if fenced {
                // The command ends at a comment; `a && b` keeps only the part that runs ledgerctl.
                let code = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? ""
                for part in code.components(separatedBy: "&&") where Self.runsLedgerctl(part) {
                    found.append((index + 1, part.trimmingCharacters(in: .whitespaces)))
                }
            } else {
                let spans = line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                for (position, span) in spans where position % 2 == 1 {
                    if Self.runsLedgerctl(String(span)), span.contains("--socket") {
                        found.append((index + 1, String(span)))
                    }
                }
            }
        }
        return found
    }

    static func runsLedgerctl(_ code: String) -> Bool {
        let words = code.split(separator: " ").filter { $0 != "sudo" && $0 != "-u" && $0 != "ledgerd" }
        return words.first == "ledgerctl" && words.count > 1
    }

    /// The command with the built ledgerctl, without `sudo`, optional parts (`[...]`) dropped, placeholders
    /// (`<...>`) filled in, and the installed paths moved into `directory`, where nothing exists.
    static func runnable(_ command: String, in directory: TemporaryDirectory) -> String {
        var text = command.replacingOccurrences(of: "sudo -u ledgerd ", with: "")
            .replacingOccurrences(of: "sudo ", with: "")
        for (open, close, filler) in [("[", "]", ""), ("<", ">", "X")] {
            while let start = text.range(of: open),
                let end = text.range(of: close, range: start.upperBound..<text.endIndex)
            {
                text.replaceSubrange(start.lowerBound..<end.upperBound, with: filler)
            }
        }
        for prefix in ["/run/", "/var/", "/etc/"] {
            text = text.replacingOccurrences(
                of: " " + prefix,
                with: " " + directory.appending(String(prefix.dropFirst()))
            )
        }
        return LedgerctlProcess.binary + text.dropFirst("ledgerctl".count)
    }
}
