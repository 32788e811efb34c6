import ArgumentParser
import LedgerClient

/// `ledgerctl ping`: checks the daemon answers, and how fast.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Check that ledgerd answers (prints PONG and the round-trip time)."
    )

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let elapsed = try await connection.withLedger { ledger in
            try await ContinuousClock().measure { try await ledger.ping() }
        }
        let microseconds = Int64(elapsed / .microseconds(1))
        Output.print("PONG from \(connection.socketPath) in \(Format.milliseconds(microseconds)) ms")
    }
}
