import ArgumentParser
import LedgerClient

/// `ledgerctl metrics`: prints the daemon's metrics as Prometheus text.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Print ledgerd's metrics in the Prometheus text format (needs the ops role)."
    )

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let text = try await connection.withLedger { try await $0.metrics() }
        let output = Output()
        output.write(text.utf8)
        guard output.flush() else { throw CommandFailure.refused("cannot write the metrics to standard output") }
    }
}
