import ArgumentParser
import LedgerClient

/// `ledgerctl import FILE`: loads an NDJSON export into an empty ledger.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load an NDJSON export (from `ledgerctl export`) into an empty ledger.",
        discussion: """
            Every event is appended again to its stream with its id, type, data, meta and original recorded \
            time, in log order, each APPEND expecting the stream's previous version, so every stored byte, and \
            so the Merkle root, comes out exactly as exported. The file must be a complete export from \
            position 1, the ledger must be empty, and the peer must have the ops role (only ops may give \
            recorded times).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "An NDJSON export.")
    var file: String

    func run() async throws {
        let input = try InputFile(path: file)
        let socketPath = connection.socketPath
        let (imported, root) = try await connection.withLedger { ledger in
            let status = try await ledger.status()
            guard status.head == 0 else {
                throw CommandFailure.refused(
                    "the ledger at \(socketPath) already holds \(status.head) events; import only into an empty ledger"
                )
            }
            let hello = try await ledger.hello()
            var importer = Importer(
                ledger: ledger,
                input: input,
                maxEvents: min(500, hello.maxEventsPerAppend),
                maxLineBytes: hello.maxLineBytes
            )
            let imported = try await importer.run()
            return (imported, try await ledger.status().root)
        }
        Output.print("imported \(Format.count(imported)) events (positions 1-\(imported)); root \(root)")
    }
}
