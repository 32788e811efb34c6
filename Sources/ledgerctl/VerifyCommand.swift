import ArgumentParser
import LedgerClient

/// `ledgerctl verify`: the integrity check; exits 0 only when the log verifies.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Rehash the stored events and recompute the Merkle root; exit 0 only when the log verifies.",
        discussion: "A mismatch prints the INTEGRITY error naming the first bad position and exits 1."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "The first position to rehash (default 1).")
    var from: UInt64 = 1

    @Option(name: .long, help: "The last position to rehash (default: the head).")
    var to: UInt64?

    func run() async throws {
        let result = try await connection.withLedger { try await $0.verify(from: from, to: to) }
        Output.print("verified \(Format.count(Int(result.verified))) events of \(Format.count(Int(result.size)))")
        Output.print("root \(result.root)")
    }
}
