import ArgumentParser
import LedgerClient
import LedgerProtocol

#if canImport(Glibc)
import Glibc
#endif

/// `ledgerctl`: operate and audit a running `ledgerd` over its Unix socket.
///
/// Each subcommand is one `*Command.swift` file listed in `subcommands`.
@main
struct Ledgerctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledgerctl",
        abstract: "Operate and audit a Commissioning Ledger daemon (ledgerd) over its Unix-domain socket.",
        discussion: """
            The socket is --socket, else $LEDGER_SOCKET, else ./ledgerd.sock (ledgerd's default).
            Exit codes: 0 ok; 1 the ledger refused the request (its wire error is printed) or the input is bad; \
            2 usage; 3 cannot connect to ledgerd (or the connection was lost).
            """,
        version: LedgerVersion.current,
        subcommands: [
            StatusCommand.self, PingCommand.self, AppendCommand.self, ReadCommand.self, TailCommand.self,
            VerifyCommand.self, ExportCommand.self, ImportCommand.self, QueryCommand.self, HistoryCommand.self,
            DemoCommand.self, ProveCommand.self, CheckpointCommand.self, AuditCommand.self, ReportCommand.self,
            BundleCommand.self, VerifyBundleCommand.self, WitnessCommand.self, MonitorCommand.self, BackupCommand.self,
            RestoreCommand.self, MetricsCommand.self, PromoteCommand.self,
        ]
    )

    /// Runs the command line, mapping every failure to one line on stderr and this tool's exit codes.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let failure: CommandFailure
            if error is CommandFailure || error is LedgerClientError {
                // Our own failures carry their message: ArgumentParser's help machinery is for its own errors.
                failure = CommandFailure(error, parserMessage: "", parserCode: 1)
            } else {
                let code = exitCode(for: error).rawValue
                failure = CommandFailure(
                    error,
                    parserMessage: code == 0 ? fullMessage(for: error) : message(for: error),
                    parserCode: code
                )
            }
            if failure.exitCode == 0 {
                Output.print(failure.message)
            } else {
                Output.error("ledgerctl: \(failure.message)")
            }
            Glibc.exit(failure.exitCode)
        }
        Glibc.exit(0)
    }
}
