import LedgerJSON
import LedgerProtocol
import LedgerWire
import NIOCore

extension LedgerConnection {
    /// `PING`: checks the daemon answers.
    public func ping() async throws(LedgerClientError) {
        guard case .pong = try await request(try Self.line(.ping)) else {
            throw .protocolViolation("PING was not answered with PONG")
        }
    }

    /// `HELLO`: the server, this peer's role, the head and the limits.
    public func hello() async throws(LedgerClientError) -> ServerHello {
        try ServerHello(try await ok(.hello))
    }

    /// `PROMOTE` (the `ops` role): makes the follower (or fenced former primary) this connection reaches the primary
    /// of the next replication epoch. Returns its answer: `epoch`, `position`, `root`.
    public func promote() async throws(LedgerClientError) -> JSONValue {
        try await ok(.promote)
    }

    /// `FENCE` (the `replica` and `ops` roles): tells the daemon that `primary` leads `epoch`, so that it takes no
    /// more appends. Throws `.server(code: .staleEpoch, ...)` when it knows a newer epoch.
    @discardableResult
    public func fence(epoch: UInt64, primary: String) async throws(LedgerClientError) -> JSONValue {
        try await ok(.fence(epoch: epoch, primary: primary))
    }

    /// `STORED` (the `replica` and `ops` roles): tells the primary this follower has stored its log through
    /// `position` durably, without waiting for the answer (which comes in its turn, after those of earlier requests).
    public func announceStored(_ position: UInt64) {
        guard let line = try? Self.line(.stored(position: position)) else { return }
        _ = send(line, sequence: false)
    }

    /// `STATUS`: the head, the Merkle root and operational figures.
    public func status() async throws(LedgerClientError) -> ServerStatus {
        try ServerStatus(try await ok(.status))
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
            try Self.line(AppendBatch(stream: stream, expected: expected, events: events)),
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
                futures.append(.success(send(try Self.line(batch), sequence: false)))
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
        try await page(.read(stream: stream, from: fromVersion, limit: Self.limitArgument(limit)))
    }

    /// `READBACK`: the events of `stream` newest first, from version `fromVersion` down (nil: from its last), at most
    /// `limit` of them (nil: down to its first). `next` is the version to go on from (0 when none is left); the last
    /// event of a stream is `readBackwards(stream: s, limit: 1)`.
    public func readBackwards(
        stream: String,
        fromVersion: UInt64? = nil,
        limit: Int? = nil
    ) async throws(LedgerClientError) -> EventPage {
        try await page(.readBack(stream: stream, from: fromVersion ?? 0, limit: Self.limitArgument(limit)))
    }

    /// `STREAM`: `stream`'s current version (0 when it has no events) and its first and last positions, without
    /// reading its events.
    public func streamInfo(_ stream: String) async throws(LedgerClientError) -> StreamInfo {
        let answer = try await ok(.stream(name: stream))
        guard let version = answer["version"]?.int64Value.flatMap(UInt64.init(exactly:)) else {
            throw .protocolViolation("STREAM was answered without a version")
        }
        return StreamInfo(
            stream: stream,
            version: version,
            first: answer["first"]?.int64Value.flatMap(UInt64.init(exactly:)),
            last: answer["last"]?.int64Value.flatMap(UInt64.init(exactly:))
        )
    }

    /// `READALL`: the log from position `from` on, at most `limit` events (nil: up to the head when the server
    /// started answering). Each event keeps its exact stored bytes, so callers can hash them.
    public func readAll(from position: UInt64 = 1, limit: Int? = nil) async throws(LedgerClientError) -> EventPage {
        try await page(.readAll(from: position, limit: Self.limitArgument(limit)))
    }

    /// `REPLICATE` (the `replica` and `ops` roles): as `readAll`, for a follower that has stored the log through `stored` durably; the
    /// server lists it in its `STATUS` with that position, and, when `from` is past its head, waits up to a second for
    /// new events before answering.
    /// - Returns: the events' stored bytes, as they came (not decoded).
    public func replicate(
        from position: UInt64,
        stored: UInt64,
        limit: Int? = nil
    ) async throws(LedgerClientError) -> [[UInt8]] {
        let line = try Self.line(.replicate(from: position, stored: stored, limit: Self.limitArgument(limit)))
        guard case .envelopes(let envelopes, _) = try await Self.wait(for: send(line, as: PendingRequest.envelopes))
        else { throw .protocolViolation("REPLICATE was not answered with a sequence") }
        return envelopes
    }

    /// `VERIFY`: rehashes the events from `from` (nil: 1) to `to` (nil: the head) and recomputes the Merkle root.
    /// - Throws: `LedgerClientError.server` with `.integrity` (details `position`) when stored bytes do not match,
    ///   `.notFound` when `from` or `to` is past the head, `.badRequest` when `to` is before `from`.
    public func verify(from: UInt64? = nil, to: UInt64? = nil) async throws(LedgerClientError) -> VerifyResult {
        let json = try await ok(.verify(from: from, to: to))
        return VerifyResult(
            verified: try json.unsigned("verified", in: "VERIFY"),
            size: try json.unsigned("size", in: "VERIFY"),
            root: try json.string("root", in: "VERIFY")
        )
    }

    /// A subscription to the log from position `from`, to the events `filter` passes (by type and stream prefix).
    ///
    /// It runs on connections of its own to the same socket (a subscribed connection answers nothing else), and
    /// reconnects and resumes after the last position seen when the connection drops, as `reconnect` allows.
    public func subscribe(
        from position: UInt64 = 1,
        filter: EventFilter = .all,
        reconnect: ReconnectPolicy = .default
    ) -> LedgerSubscription {
        LedgerSubscription(socketPath: socketPath, tls: tls, from: position, filter: filter, reconnect: reconnect)
    }

    /// The durable consumer `name`, on connections of its own to the same socket (see `LedgerConsumer`).
    public func consumer(
        _ name: String,
        filter: EventFilter = .all,
        reconnect: ReconnectPolicy = .default
    ) -> LedgerConsumer {
        LedgerConsumer(name, socketPath: socketPath, tls: tls, filter: filter, reconnect: reconnect)
    }

    /// Sends `command` and returns the JSON of its `OK` reply.
    func ok(_ command: Command) async throws(LedgerClientError) -> JSONValue {
        guard case .ok(let json) = try await request(try Self.line(command)) else {
            throw .protocolViolation("\(command.verb.rawValue) was not answered with OK")
        }
        return json
    }

    private func page(_ command: Command) async throws(LedgerClientError) -> EventPage {
        guard case .events(let events, let end) = try await request(try Self.line(command), sequence: true) else {
            throw .protocolViolation("\(command.verb.rawValue) was not answered with a sequence")
        }
        return EventPage(events: events, next: try end.unsigned("next", in: "END"))
    }

    /// A limit the server accepts: at least 1.
    private static func limitArgument(_ limit: Int?) -> Int? {
        limit.map { max($0, 1) }
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
