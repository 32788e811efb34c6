import ArgumentParser
import LedgerClient
import LedgerProtocol

/// `ledgerctl tail`: follows the log live, resuming after a daemon restart.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow the log: print events as they commit, one stored event (JSON) per line.",
        discussion: """
            Without --from only new events are printed. If the connection drops (ledgerd restarts, or drops a \
            reader that fell behind), tail reconnects and resumes after the last event it printed, waiting for \
            ledgerd for as long as it takes. Stop it with Ctrl-C.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "Start at this position (default: after the current head).")
    var from: UInt64?

    @Option(name: .customLong("type"), help: "Only events of this type (repeat for several).")
    var types: [String] = []

    @Option(
        name: .customLong("stream"),
        help: "Only events of streams whose name starts with this prefix, such as contract- (repeat for several)."
    )
    var streamPrefixes: [String] = []

    func run() async throws {
        let start: UInt64
        if let from {
            start = from
        } else {
            start = try await connection.withLedger { try await $0.hello().head + 1 }
        }
        let subscription = LedgerSubscription(
            socketPath: connection.socketPath,
            tls: connection.tlsFiles,
            from: start,
            filter: EventFilter(types: types, streamPrefixes: streamPrefixes),
            reconnect: ReconnectPolicy(giveUpAfter: nil)
        )
        let output = Output()
        for try await event in subscription {
            output.write(event.bytes)
            output.write(CollectionOfOne(UInt8(ascii: "\n")))
            guard output.flush() else { return }
        }
    }
}
