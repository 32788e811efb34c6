import LedgerProtocol

/// A durable consumer (`CONSUME`): the daemon keeps its acknowledged position, so after a disconnect or a restart it
/// resumes after its last acknowledgement; events after it are delivered again (at least once, in log order).
///
/// Only one connection holds a name at a time: another waits as a standby (`isStandby`) and takes over as soon as
/// the holder goes. It connects on the first `next()`, and reconnects after a drop as its `ReconnectPolicy` allows.
///
/// ```swift
/// let consumer = ledger.consumer("billing", filter: EventFilter(streamPrefixes: ["contract-"]))
/// while let event = try await consumer.next() {
///     try handle(event)
///     try await consumer.ack(event.position)
/// }
/// ```
public final class LedgerConsumer: Sendable {
    /// The consumer's name.
    public let name: String
    private let session: SubscriptionSession

    /// The consumer `name` of the daemon at `socketPath` (with `tls` for a `tls://` address), delivering the events
    /// `filter` passes.
    public init(
        _ name: String,
        socketPath: String,
        tls: TLSFiles? = nil,
        filter: EventFilter = .all,
        reconnect: ReconnectPolicy = .default
    ) {
        self.name = name
        session = SubscriptionSession(
            .consumer(name: name, filter: filter),
            socketPath: socketPath,
            tls: tls,
            reconnect: reconnect
        )
    }

    /// The next event; nil once the task is cancelled or the consumer closed.
    /// - Throws: `LedgerClientError` when the server refuses the consumer (a bad name, `limits.maxConsumers`, an
    ///   `ACK` of a position never sent) or reconnecting gave up.
    public func next() async throws(LedgerClientError) -> LedgerEvent? {
        try await session.next()
    }

    /// Acknowledges every event up to `position` (cumulative; at most the last position this connection delivered);
    /// the daemon stores it durably and confirms it, which `acked` then shows. An acknowledgement lost with its
    /// connection leaves those events to come again.
    /// - Throws: the connection's failure (`.connectionClosed`) when it has just ended; `next()` then reconnects.
    public func ack(_ position: UInt64) async throws(LedgerClientError) {
        try await session.ack(position)
    }

    /// Waits until the daemon has confirmed every acknowledgement sent so far durable, and returns the acknowledged
    /// position (events that arrive meanwhile wait for `next`). After a dropped connection it returns at once: the
    /// events after the durable position come again.
    @discardableResult
    public func flush() async -> UInt64 {
        await session.flush()
    }

    /// The acknowledged position the daemon has confirmed durable.
    public var acked: UInt64 {
        get async { await session.acked }
    }

    /// Whether another connection holds the name and this one waits to take over.
    public var isStandby: Bool {
        get async { await session.isStandby }
    }

    /// Gives up the name (a standby takes over) once every acknowledgement sent is durable, and returns the
    /// acknowledged position.
    @discardableResult
    public func close() async -> UInt64 {
        await session.finish()
    }
}
