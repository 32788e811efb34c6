import ArgumentParser
import LedgerClient

/// `ledgerctl read <stream>`: a stream's events as NDJSON, each line the event's exact stored bytes.
struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print a stream's events, one stored event (JSON) per line."
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The stream.")
    var stream: String

    @Option(name: .long, help: "The first version to print (default 1; with --backwards, the stream's last).")
    var from: UInt64?

    @Option(name: .long, help: "Print at most this many events.")
    var limit: Int?

    @Flag(name: .long, help: "Newest first (--limit 1: the stream's last event).")
    var backwards = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let output = Output()
        defer { output.flush() }
        try await connection.withLedger { ledger in
            var next = from ?? (backwards ? 0 : 1)
            var remaining = limit ?? Int.max
            while remaining > 0 {
                let wanted = min(remaining, Self.pageSize)
                let page =
                    backwards
                    ? try await ledger.readBackwards(stream: stream, fromVersion: next, limit: wanted)
                    : try await ledger.read(stream: stream, fromVersion: next, limit: wanted)
                for event in page.events {
                    output.write(event.bytes)
                    output.write(CollectionOfOne(UInt8(ascii: "\n")))
                }
                remaining -= page.events.count
                next = page.next
                if page.events.count < wanted || (backwards && next == 0) { break }
            }
        }
    }

    /// Events asked for per request, so memory stays bounded for long streams.
    static let pageSize = 1000
}
