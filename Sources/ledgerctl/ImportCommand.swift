import ArgumentParser
import LedgerClient

/// `ledgerctl import FILE`: loads an NDJSON export into an empty ledger.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load an NDJSON export (from `ledgerctl export`) into an empty ledger.",
        discussion: """
            Every event is appended again to its stream with its id, type, data and meta, in log order, each \
            APPEND expecting the stream's previous version, so positions, streams, versions, ids and contents \
            come out exactly as exported. The file must be a complete export from position 1, and the ledger \
            must be empty. The `recorded` times are assigned by this server as the events are appended and are \
            part of each event's hashed bytes, so the Merkle root differs from the source ledger's: keep the \
            export file and the source's root (from `ledgerctl verify`) as the record of the original.
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
        Output.print("recorded times are this server's, so the root differs from the source ledger's")
    }
}
