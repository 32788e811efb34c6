import ArgumentParser
import LedgerClient

#if canImport(Glibc)
import Glibc
#endif

/// `--socket` (and a client certificate for a `tls://` address), shared by every command that talks to the daemon.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "ledgerd's socket, or tls://HOST:PORT (default: $LEDGER_SOCKET, else ./ledgerd.sock)."
    )
    var socket: String?

    @Option(name: .customLong("tls-cert"), help: "For tls://: this client's certificate, PEM ($LEDGER_TLS_CERT).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "For tls://: its private key, PEM ($LEDGER_TLS_KEY).")
    var tlsKey: String?

    @Option(name: .customLong("tls-ca"), help: "For tls://: the CA of ledgerd's certificate, PEM ($LEDGER_TLS_CA).")
    var tlsCA: String?

    /// The client certificate for a `tls://` address, from the options or the environment; nil when incomplete.
    var tlsFiles: TLSFiles? {
        func given(_ option: String?, _ variable: String) -> String? {
            if let option { return option }
            guard let value = getenv(variable), value.pointee != 0 else { return nil }
            return String(cString: value)
        }
        guard let certificate = given(tlsCertificate, "LEDGER_TLS_CERT"), let key = given(tlsKey, "LEDGER_TLS_KEY"),
            let authority = given(tlsCA, "LEDGER_TLS_CA")
        else { return nil }
        return TLSFiles(certificateFile: certificate, keyFile: key, caFile: authority)
    }

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
            return try await LedgerConnection.connect(to: socketPath, tls: tlsFiles)
        } catch {
            throw CommandFailure(error)
        }
    }
}
