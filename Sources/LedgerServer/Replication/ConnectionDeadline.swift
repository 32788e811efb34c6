import LedgerClient

/// Closes a connection unless cancelled within a time limit: a peer that stopped answering (a stopped process, a
/// stuck disk) then fails the request in flight (`LedgerClientError.connectionClosed`) instead of holding the caller
/// for ever.
///
///     let deadline = ConnectionDeadline(connection, within: .seconds(30))
///     defer { deadline.cancel() }
///     let status = try await connection.status()
struct ConnectionDeadline {
    private let timer: Task<Void, Never>

    init(_ connection: LedgerConnection, within limit: Duration) {
        timer = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            await connection.close()
        }
    }

    /// The request was answered in time.
    func cancel() {
        timer.cancel()
    }
}
