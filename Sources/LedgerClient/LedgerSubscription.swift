import LedgerProtocol

/// The log's events from a position on, as they commit: catch-up first, then live, for as long as it is iterated.
///
/// Each iteration opens its own connection (lazily, on the first `next()`). When the connection drops (the daemon
/// restarts or stops, or the server drops a slow subscriber with `ERR OVERLOADED`), it reconnects as its
/// `ReconnectPolicy` allows and resumes after the last position seen, so no event is delivered twice or skipped.
/// The first connection is not retried: a daemon that is not running fails the first `next()` with
/// `LedgerClientError.cannotConnect`. Cancelling the iterating task, or dropping the iterator, ends it.
public struct LedgerSubscription: AsyncSequence, Sendable {
    public typealias Element = LedgerEvent
    public typealias Failure = LedgerClientError

    /// The daemon's socket, or its `tls://HOST:PORT`.
    public var socketPath: String
    /// The client certificate for a `tls://` address.
    public var tls: TLSFiles?
    /// The first position wanted.
    public var from: UInt64
    /// The events wanted (all by default): by type and by stream-name prefix.
    public var filter: EventFilter
    /// How to reconnect after a drop.
    public var reconnect: ReconnectPolicy

    /// A subscription to the daemon at `socketPath` (with `tls` for a `tls://` address) from position `from`, to the
    /// events `filter` passes.
    public init(
        socketPath: String,
        tls: TLSFiles? = nil,
        from: UInt64 = 1,
        filter: EventFilter = .all,
        reconnect: ReconnectPolicy = .default
    ) {
        self.socketPath = socketPath
        self.tls = tls
        self.from = from
        self.filter = filter
        self.reconnect = reconnect
    }

    /// A new iteration: it connects on its first `next()`.
    public func makeAsyncIterator() -> Iterator {
        Iterator(
            session: SubscriptionSession(
                .log(filter),
                from: from,
                socketPath: socketPath,
                tls: tls,
                reconnect: reconnect
            )
        )
    }

    /// Delivers the subscription's events in log order.
    public struct Iterator: AsyncIteratorProtocol {
        let session: SubscriptionSession

        /// The next event; nil once the iterating task is cancelled.
        /// - Throws: `LedgerClientError` when the server refuses the subscription (e.g. `.forbidden`) or
        ///   reconnecting gave up.
        public mutating func next() async throws(LedgerClientError) -> LedgerEvent? {
            try await session.next()
        }

        /// The next event, as `next()`.
        public mutating func next(
            isolation actor: isolated (any Actor)?
        ) async throws(LedgerClientError) -> LedgerEvent? {
            try await session.next()
        }
    }
}
