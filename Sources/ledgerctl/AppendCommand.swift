import ArgumentParser
import LedgerClient
import LedgerWire

/// `ledgerctl append <stream>`: appends events from NDJSON or a JSON array, in batches.
struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append events to a stream from NDJSON or a JSON array (a file, or stdin).",
        discussion: """
            Each event is an object {"id","type","data","meta"} (meta optional); use UUIDv7 ids. Events are sent \
            in batches of --batch-size (fewer when a batch would exceed the server's line limit). Each batch is \
            atomic; the input as a whole is not. --expected applies to the first batch, and every later batch \
            expects the version the previous one left the stream at, so a concurrent writer stops the command \
            with WRONG_EXPECTED_VERSION instead of interleaving (with --expected any, every batch uses any). \
            A failure names the line and says how many events were already committed; running the same command \
            again after fixing the input is safe, because committed batches are recognised as duplicates. \
            A progress line (events/s, ETA) is shown on stderr when it is a terminal.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The stream.")
    var stream: String

    @Argument(help: "NDJSON or a JSON array of events; - or none for stdin.")
    var file: String?

    @Option(name: .long, help: "any, none (the stream must not exist), exists, or the stream's current version.")
    var expected = "any"

    @Option(name: .long, help: "Events per APPEND.")
    var batchSize = 500

    func validate() throws {
        guard ExpectedVersion(expected) != nil else {
            throw ValidationError("--expected must be any, none, exists or a version number, got \"\(expected)\"")
        }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        let input = try InputFile(path: file)
        let initial = ExpectedVersion(expected) ?? .any
        let summary = try await connection.withLedger { ledger in
            let hello = try await ledger.hello()
            var sender = BatchSender(
                ledger: ledger,
                stream: stream,
                expected: initial,
                input: input,
                maxEvents: min(batchSize, hello.maxEventsPerAppend),
                maxLineBytes: hello.maxLineBytes
            )
            return try await sender.run()
        }
        Output.print(summary)
    }
}
