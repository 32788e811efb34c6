import LedgerJSON
import LedgerProtocol
import NIOCore

/// The state of one subscription iteration or durable consumer: its current connection, the next position wanted,
/// reconnecting; for a consumer, its acknowledgements too.
actor SubscriptionSession {
    /// What is asked for on each connection.
    enum Request: Sendable {
        /// `SUBSCRIBE`, resuming after the last position seen.
        case log(EventFilter)
        /// `CONSUME`, resuming after the consumer's durable acknowledgement (so events after it come again).
        case consumer(name: String, filter: EventFilter)
    }

    private let request: Request
    private let socketPath: String
    private let tls: TLSFiles?
    private let reconnect: ReconnectPolicy
    /// The next position wanted: one past the last event delivered or the head announced by `LIVE`.
    private var next: UInt64
    /// A consumer's acknowledged position, as the server last confirmed it (`ACKED`).
    private(set) var acked: UInt64 = 0
    /// The highest position acknowledged on the current connection.
    private var acknowledging: UInt64 = 0
    /// The highest position delivered on the current connection (an event returned, or a `LIVE` head): a consumer's
    /// `ACK` never goes beyond it, since the server refuses to have positions it has not sent acknowledged.
    private var delivered: UInt64 = 0
    /// Whether a consumer waits as a standby (`STANDBY`) on the current connection.
    private(set) var isStandby = false
    /// Items of the current connection read ahead by `flush`, for `next` to take first.
    private var held = CircularBuffer<Result<SubscriptionBuffer.Item, LedgerClientError>>()
    private var connection: LedgerConnection?
    private var buffer: SubscriptionBuffer?
    /// When the current outage began; nil while connected and receiving.
    private var droppedAt: ContinuousClock.Instant?
    /// Reconnection attempts since the outage began.
    private var attempts = 0
    private var finished = false

    init(
        _ request: Request,
        from: UInt64 = 1,
        socketPath: String,
        tls: TLSFiles?,
        reconnect: ReconnectPolicy
    ) {
        self.request = request
        self.socketPath = socketPath
        self.tls = tls
        self.reconnect = reconnect
        next = max(from, 1)
    }

    deinit {
        buffer?.cancel()
    }

    /// The next event; nil when finished or cancelled.
    func next() async throws(LedgerClientError) -> LedgerEvent? {
        while !finished {
            let current: SubscriptionBuffer?
            do {
                current = try await currentBuffer()
            } catch {
                await end()
                throw error
            }
            guard let buffer = current, let item = held.isEmpty ? await buffer.next() : held.removeFirst() else {
                await end()
                return nil
            }
            switch item {
            case .success(.event(let event)):
                droppedAt = nil
                attempts = 0
                isStandby = false
                if case .log = request, event.position < next { continue }
                next = event.position + 1
                delivered = max(delivered, event.position)
                return event
            case .success(.live(let json)):
                droppedAt = nil
                attempts = 0
                isStandby = false
                if let head = Self.position(json) {
                    next = max(next, head + 1)
                    delivered = max(delivered, head)
                }
            case .success(.standby):
                droppedAt = nil
                attempts = 0
                isStandby = true
            case .success(.acked(let json)):
                if let position = Self.position(json) { acked = max(acked, position) }
            case .success(.end):
                try await drop(because: .connectionClosed)
            case .failure(let error):
                guard Self.isResumable(error) else {
                    await end()
                    throw error
                }
                if case .log = request, case .server(.overloaded, _, let details) = error,
                    let position = Self.position(details)
                {
                    next = max(next, position)
                }
                try await drop(because: error)
            }
        }
        return nil
    }

    /// The buffer of the current connection, connecting (or reconnecting, with back-off) when there is none; nil
    /// when cancelled while waiting.
    private func currentBuffer() async throws(LedgerClientError) -> SubscriptionBuffer? {
        if let buffer { return buffer }
        while true {
            if droppedAt != nil {
                attempts += 1
                do {
                    try await Task.sleep(for: reconnect.delay(before: attempts))
                } catch {
                    return nil
                }
            }
            do {
                let connection = try await LedgerConnection.connect(to: socketPath, tls: tls)
                let buffer = connection.subscribe(try LedgerConnection.line(command))
                self.connection = connection
                self.buffer = buffer
                acknowledging = 0
                delivered = 0
                isStandby = false
                return buffer
            } catch {
                guard let droppedAt, case .cannotConnect = error else { throw error }
                if let limit = reconnect.giveUpAfter, ContinuousClock.now - droppedAt >= limit {
                    throw error
                }
            }
        }
    }

    /// Closes the current connection after a drop, so the next call reconnects; throws `error` when the outage
    /// has lasted longer than the policy allows.
    private func drop(because error: LedgerClientError) async throws(LedgerClientError) {
        let now = ContinuousClock.now
        let since = droppedAt ?? now
        droppedAt = since
        await closeConnection()
        if let limit = reconnect.giveUpAfter, now - since >= limit {
            await end()
            throw error
        }
    }

    /// The request for the next connection.
    private var command: Command {
        switch request {
        case .log(let filter): .subscribe(from: next, filter: filter)
        case .consumer(let name, let filter): .consume(name: name, filter: filter)
        }
    }

    /// Sends `ACK position` on the current connection (a consumer's), no further than what it delivered; nothing
    /// when there is none. Throws the connection's failure when it has just ended: the events after the last durable
    /// acknowledgement come again after the reconnect.
    func ack(_ position: UInt64) throws(LedgerClientError) {
        let position = min(position, delivered)
        guard let connection, position > acknowledging else { return }
        try connection.send(try LedgerConnection.line(.ack(position: position)))
        acknowledging = position
    }

    /// Waits until the server has confirmed (`ACKED`) every acknowledgement sent on the current connection, reading
    /// ahead the events before the confirmation for `next` to deliver; returns the durable acknowledged position. It
    /// returns early when the connection ends (the events after the durable position then come again).
    func flush() async -> UInt64 {
        guard let buffer else { return acked }
        while acked < acknowledging, let item = await buffer.next() {
            guard case .success(.acked(let json)) = item else {
                held.append(item)
                if case .success(.end) = item { break }
                if case .failure = item { break }
                continue
            }
            if let position = Self.position(json) { acked = max(acked, position) }
        }
        return acked
    }

    /// Ends a consumer's turn: `UNSUBSCRIBE`, then reads what is left of its stream up to `END`, which the server
    /// sends once every acknowledgement is durable; returns the durable acknowledged position. Events still
    /// unread are dropped (they come again to the next holder).
    func finish() async -> UInt64 {
        if let connection, let buffer, !finished, (try? connection.send(LedgerConnection.line(.unsubscribe))) != nil {
            reading: while let item = await buffer.next() {
                switch item {
                case .success(.acked(let json)):
                    if let position = Self.position(json) { acked = max(acked, position) }
                case .success(.end(let json)):
                    if let position = Self.position(json, "acked") { acked = max(acked, position) }
                    break reading
                case .failure:
                    break reading
                case .success(.event), .success(.live), .success(.standby):
                    continue
                }
            }
        }
        await end()
        return acked
    }

    /// A non-negative position field of a reply's JSON.
    private static func position(_ json: JSONValue, _ field: String = "position") -> UInt64? {
        json[field]?.int64Value.flatMap { $0 >= 0 ? UInt64($0) : nil }
    }

    private func end() async {
        finished = true
        await closeConnection()
    }

    private func closeConnection() async {
        held.removeAll()
        buffer?.cancel()
        buffer = nil
        await connection?.close()
        connection = nil
    }

    /// Failures after which the subscription reconnects and resumes.
    private static func isResumable(_ error: LedgerClientError) -> Bool {
        switch error {
        case .connectionClosed: true
        case .server(.overloaded, _, let details): details["limit"] != "limits.maxConsumers"
        case .server(let code, _, _): code == .shuttingDown
        default: false
        }
    }
}
