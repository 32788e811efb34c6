import ArgumentParser
import LedgerClient

/// `ledgerctl backup <name>`: asks the daemon for a hot, compacted copy of the ledger.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Have ledgerd write a hot, compacted copy of the ledger and its manifest into its backup directory.",
        discussion: "Needs the ops role. Prints the backup's path, head position, Merkle root and size."
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The backup's name: 1-128 characters A-Z a-z 0-9 . _ : @ -, starting with a letter or digit.")
    var name: String

    func run() async throws {
        let result = try await connection.withLedger { try await $0.backup(name: name) }
        Output.print("backup \(result.name) written to \(result.path)")
        Output.print("position \(result.position)")
        Output.print("root \(result.root)")
        Output.print("bytes \(result.bytes)")
    }
}
