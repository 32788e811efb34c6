import LedgerJSON
import LedgerProtocol
import LedgerWire

/// A client of one daemon that reconnects and retries, with back-off, the requests that are safe to repeat: reads,
/// queries, status, and appends, whose events carry ids (any event without one is given a UUIDv7 id before the first
/// attempt), so an append whose reply was lost is answered as a duplicate with its original positions.
///
/// A request is retried after the connection drops or cannot be made, and after `SHUTTING_DOWN`, `TIMEOUT`
/// (synchronous replication) and a connection-limit `OVERLOADED`, as `policy` spaces and limits the attempts; any
/// other refusal is thrown at once.
public actor RetryingLedger {
    /// The daemon's socket, or its `tls://HOST:PORT`.
    public nonisolated let socketPath: String
    private let tls: TLSFiles?
    private let policy: ReconnectPolicy
    private var connection: LedgerConnection?

    /// A client of the daemon at `socketPath` (with `tls` for a `tls://` address); it connects on the first request.
    public init(socketPath: String, tls: TLSFiles? = nil, policy: ReconnectPolicy = .default) {
        self.socketPath = socketPath
        self.tls = tls
        self.policy = policy
    }

    /// `APPEND`, retried as the type describes; the same ids are sent on every attempt.
    public func append(
        to stream: String,
        expected: ExpectedVersion = .any,
        events: [JSONValue]
    ) async throws(LedgerClientError) -> AppendResult {
        let identified = events.map { event -> JSONValue in
            guard case .object(var fields) = event, fields["id"] == nil else { return event }
            fields["id"] = .string(EventID.v7().description)
            return .object(fields)
        }
        return try await perform { (connection) async throws(LedgerClientError) in
            try await connection.append(to: stream, expected: expected, events: identified)
        }
    }

    /// Runs `request` on the current connection (connecting first when there is none), and again on a new one after
    /// a failure worth retrying. Give only requests that are safe to repeat.
    public func perform<Result: Sendable>(
        _ request: @Sendable (LedgerConnection) async throws(LedgerClientError) -> Result
    ) async throws(LedgerClientError) -> Result {
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            do {
                let connection = try await current()
                return try await request(connection)
            } catch {
                guard Self.isRetryable(error) else { throw error }
                await drop()
                attempt += 1
                if let limit = policy.giveUpAfter, ContinuousClock.now - started >= limit { throw error }
                do {
                    try await Task.sleep(for: policy.delay(before: attempt))
                } catch {
                    throw .connectionClosed
                }
            }
        }
    }

    /// Closes the current connection.
    public func close() async {
        await drop()
    }

    private func current() async throws(LedgerClientError) -> LedgerConnection {
        if let connection { return connection }
        let connection = try await LedgerConnection.connect(to: socketPath, tls: tls)
        self.connection = connection
        return connection
    }

    private func drop() async {
        await connection?.close()
        connection = nil
    }

    /// Failures after which the same request may succeed on a new connection.
    static func isRetryable(_ error: LedgerClientError) -> Bool {
        switch error {
        case .connectionClosed, .cannotConnect: true
        case .server(.shuttingDown, _, _), .server(.timeout, _, _): true
        case .server(.overloaded, _, let details):
            details["limit"]?.stringValue?.hasPrefix("limits.maxConnections") == true
        default: false
        }
    }
}
