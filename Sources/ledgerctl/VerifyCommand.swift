import ArgumentParser
import LedgerClient

/// `ledgerctl verify`: the integrity check; exits 0 only when the log verifies.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Rehash the stored events and recompute the Merkle root; exit 0 only when the log verifies.",
        discussion: """
            A mismatch prints the INTEGRITY error naming the first bad position and exits 1. The range is checked \
            in slices of --slice events, each a VERIFY that also rechecks the root, so that progress (events/s, \
            ETA) can show on a terminal.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "The first position to rehash (default 1).")
    var from: UInt64?

    @Option(name: .long, help: "The last position to rehash (default: the head).")
    var to: UInt64?

    @Option(name: .long, help: "Events per VERIFY request.")
    var slice: UInt64 = 200_000

    func run() async throws {
        let (requestedFrom, to, slice) = (self.from, to, min(max(slice, 1), 1 << 62))
        let from = max(requestedFrom ?? 1, 1)
        let result = try await connection.withLedger { ledger in
            let last = min(to ?? UInt64.max, try await ledger.status().head)
            // An empty ledger, or a range the server refuses (past the head, backwards), is one VERIFY: it checks the
            // root, or its error says what is wrong with the range.
            guard from <= last, to.map({ $0 >= from }) ?? true else {
                return try await ledger.verify(from: requestedFrom, to: to)
            }
            var progress = Progress("verified")
            var start = from
            var checked: UInt64 = 0
            var result = try await ledger.verify(from: start, to: min(start + slice - 1, last))
            while true {
                checked += result.verified
                start += slice
                progress.update(events: Int(checked), bytesDone: Int(checked), bytesTotal: Int(last - from + 1))
                guard start <= last else { break }
                result = try await ledger.verify(from: start, to: min(start + slice - 1, last))
            }
            progress.finish()
            result.verified = checked
            return result
        }
        Output.print("verified \(Format.count(Int(result.verified))) events of \(Format.count(Int(result.size)))")
        Output.print("root \(result.root)")
    }
}
