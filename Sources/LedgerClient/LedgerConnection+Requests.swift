import LedgerJSON
import LedgerProtocol
import LedgerWire
import NIOCore

extension LedgerConnection {
    /// `PING`: checks the daemon answers.
    public func ping() async throws(LedgerClientError) {
        guard case .pong = try await request(try RequestLine.make(.ping, [])) else {
            throw .protocolViolation("PING was not answered with PONG")
        }
    }

    /// `HELLO`: the server, this peer's role, the head and the limits.
    public func hello() async throws(LedgerClientError) -> ServerHello {
        try ServerHello(try await ok(RequestLine.make(.hello, []), "HELLO"))
    }

    /// `STATUS`: the head, the Merkle root and operational figures.
    public func status() async throws(LedgerClientError) -> ServerStatus {
        try ServerStatus(try await ok(RequestLine.make(.status, []), "STATUS"))
    }

    /// `APPEND`: writes `events` to `stream` atomically once the stream satisfies `expected`.
    ///
    /// Retrying events that are already stored identically writes nothing and returns the original positions with
    /// `duplicate` set, so a retry after a lost reply is safe.
    /// - Parameter events: event objects `{"id","type","data","meta"}` (`meta` optional), at most the server's
    ///   `maxEventsPerAppend`, on one line of at most its `maxLineBytes`.
    /// - Throws: `LedgerClientError.server` with `.wrongExpectedVersion` (details `expected`, `actual`),
    ///   `.invalidEvent` (details `index`, `field`), `.duplicateID`, `.forbidden`, ...
    public func append(
        to stream: String,
        expected: ExpectedVersion = .any,
        events: [JSONValue]
    ) async throws(LedgerClientError) -> AppendResult {
        let future = send(
            try Self.appendLine(AppendBatch(stream: stream, expected: expected, events: events)),
            sequence: false
        )
        return try Self.appendResult(try await Self.wait(for: future))
    }

    /// Sends every batch at once (pipelined, in this order, so their positions follow this order) and returns each
    /// batch's own result. A batch that fails does not stop the others being sent.
    public func append(_ batches: [AppendBatch]) async -> [Result<AppendResult, LedgerClientError>] {
        var futures = [Result<EventLoopFuture<Reply>, LedgerClientError>]()
        futures.reserveCapacity(batches.count)
        for batch in batches {
            do {
                futures.append(.success(send(try Self.appendLine(batch), sequence: false)))
            } catch {
                futures.append(.failure(error))
            }
        }
        var results = [Result<AppendResult, LedgerClientError>]()
        results.reserveCapacity(batches.count)
        for future in futures {
            do {
                results.append(.success(try Self.appendResult(try await Self.wait(for: future.get()))))
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }

    /// `READ`: the events of `stream` from version `fromVersion` on, at most `limit` of them (nil: the whole stream).
    public func read(
        stream: String,
        fromVersion: UInt64 = 1,
        limit: Int? = nil
    ) async throws(LedgerClientError) -> EventPage {
        try await page(RequestLine.make(.read, [stream, String(fromVersion)] + Self.limitArgument(limit)), "READ")
    }

    /// `READALL`: the log from position `from` on, at most `limit` events (nil: up to the head when the server
    /// started answering). Each event keeps its exact stored bytes, so callers can hash them.
    public func readAll(from position: UInt64 = 1, limit: Int? = nil) async throws(LedgerClientError) -> EventPage {
        try await page(RequestLine.make(.readAll, [String(position)] + Self.limitArgument(limit)), "READALL")
    }

    /// `VERIFY`: rehashes the events from `from` (nil: 1) to `to` (nil: the head) and recomputes the Merkle root.
    /// - Throws: `LedgerClientError.server` with `.integrity` (details `position`) when stored bytes do not match,
    ///   `.notFound` when `from` or `to` is past the head, `.badRequest` when `to` is before `from`.
    public func verify(from: UInt64? = nil, to: UInt64? = nil) async throws(LedgerClientError) -> VerifyResult {
        let arguments = from == nil && to == nil ? [] : [String(from ?? 1)] + (to.map { [String($0)] } ?? [])
        let json = try await ok(RequestLine.make(.verify, arguments), "VERIFY")
        return VerifyResult(
            verified: try json.unsigned("verified", in: "VERIFY"),
            size: try json.unsigned("size", in: "VERIFY"),
            root: try json.string("root", in: "VERIFY")
        )
    }

    /// A subscription to the log from position `from`, filtered to `types` when not empty.
    ///
    /// It runs on connections of its own to the same socket (a subscribed connection answers nothing else), and
    /// reconnects and resumes after the last position seen when the connection drops, as `reconnect` allows.
    public func subscribe(
        from position: UInt64 = 1,
        types: [String] = [],
        reconnect: ReconnectPolicy = .default
    ) -> LedgerSubscription {
        LedgerSubscription(socketPath: socketPath, from: position, types: types, reconnect: reconnect)
    }

    /// Sends `line` and returns the JSON of its `OK` reply.
    func ok(_ line: ByteBuffer, _ verb: String) async throws(LedgerClientError) -> JSONValue {
        guard case .ok(let json) = try await request(line) else {
            throw .protocolViolation("\(verb) was not answered with OK")
        }
        return json
    }

    private func page(_ line: ByteBuffer, _ verb: String) async throws(LedgerClientError) -> EventPage {
        guard case .events(let events, let end) = try await request(line, sequence: true) else {
            throw .protocolViolation("\(verb) was not answered with a sequence")
        }
        return EventPage(events: events, next: try end.unsigned("next", in: "END"))
    }

    private static func limitArgument(_ limit: Int?) -> [String] {
        limit.map { [String(max($0, 1))] } ?? []
    }

    private static func appendLine(_ batch: AppendBatch) throws(LedgerClientError) -> ByteBuffer {
        try RequestLine.make(.append, [batch.stream, batch.expected.description], json: .array(batch.events))
    }

    private static func appendResult(_ reply: Reply) throws(LedgerClientError) -> AppendResult {
        guard case .ok(let json) = reply else { throw .protocolViolation("APPEND was not answered with OK") }
        return AppendResult(
            first: try json.unsigned("first", in: "APPEND"),
            last: try json.unsigned("last", in: "APPEND"),
            version: try json.unsigned("version", in: "APPEND"),
            duplicate: json["duplicate"]?.boolValue ?? false
        )
    }
}
