import ArgumentParser
import LedgerClient

#if canImport(Glibc)
import Glibc
#endif

/// `--socket`, shared by every command that talks to the daemon.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "ledgerd's socket (default: $LEDGER_SOCKET, else ./ledgerd.sock).")
    var socket: String?

    /// The socket path to use.
    var socketPath: String {
        if let socket { return socket }
        if let value = getenv("LEDGER_SOCKET"), value.pointee != 0 { return String(cString: value) }
        return "./ledgerd.sock"
    }

    /// Runs `body` with a new connection and closes it after; `LedgerClientError`s thrown by `body` are reported
    /// by `Ledgerctl.main`.
    func withLedger<Result>(_ body: (LedgerConnection) async throws -> Result) async throws -> Result {
        let ledger = try await connect()
        do {
            let result = try await body(ledger)
            await ledger.close()
            return result
        } catch {
            await ledger.close()
            throw error
        }
    }

    /// A new connection to the daemon.
    func connect() async throws(CommandFailure) -> LedgerConnection {
        do {
            return try await LedgerConnection.connect(to: socketPath)
        } catch {
            throw CommandFailure(error)
        }
    }
}
