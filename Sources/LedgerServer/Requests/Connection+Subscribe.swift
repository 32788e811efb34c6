import EventLog
import LedgerJSON
import LedgerProtocol
import NIOCore

extension Connection {
    /// A subscriber, or a client reading a streamed query answer, left it unread past the stall limit and was dropped.
    struct ClientStalled: Error {}

    /// Streams what `control` names until it is stopped (`UNSUBSCRIBE`, disconnect, shutdown), then writes `END`.
    func subscribe(_ control: SubscriptionControl, outbound: Outbound) async throws {
        defer {
            ports.notifier.release(control.id)
            ports.metrics.subscriberEnded(control.id)
        }
        switch control.source {
        case .log(let from, let filter):
            guard
                let (delivered, next) = try await stream(
                    from: from,
                    filter: filter,
                    control: control,
                    outbound: outbound
                )
            else { return }
            try await end(["count": .number(.init(delivered)), "next": .number(.init(next))], to: outbound)
        case .consumer(let session):
            try await consume(session, control: control, outbound: outbound)
        }
    }

    /// Streams the log from `from` (catch-up), sends `LIVE` once caught up, then new events as they commit, until
    /// stopped; returns how many events were sent and the position to go on from, or nil when it ended with an error
    /// line (reading the log failed). A consumer's session is told what was sent, and its confirmations are written
    /// as `ACKED` lines between pages.
    ///
    /// Events are read from the log a page at a time (`pageBytes`, half of `maxQueuedOutputBytes`), the next page only
    /// once the socket has taken the last, so a lagging subscriber holds at most one page of the daemon's memory; one
    /// whose socket stays full for `subscriberStallSeconds` is sent `ERR OVERLOADED` with the position to resume from
    /// and disconnected.
    func stream(
        from: UInt64,
        filter: EventFilter,
        control: SubscriptionControl,
        outbound: Outbound,
        consumer: ConsumerSession? = nil
    ) async throws -> (delivered: Int, next: UInt64)? {
        let log = ports.log
        var next = max(from, 1)
        var delivered = 0
        var live = false
        while !ports.notifier.isStopped(control.id) {
            ports.metrics.subscriber(control.id, next: next)
            if let acked = consumer?.confirmation() {
                try await write(line(Reply.acked, ["position": .number(.init(acked))]), to: outbound, resumeFrom: next)
            }
            let head = log.head.position
            if next <= head {
                let page: (lines: ByteBuffer?, count: Int, next: UInt64)
                do {
                    page = try filteredPage(from: next, filter: filter)
                } catch {
                    try await send(error: error.wire, to: outbound)
                    return nil
                }
                guard page.next > next else { break }
                let pageStart = next
                (next, delivered) = (page.next, delivered + page.count)
                consumer?.sent(through: next - 1)
                if let lines = page.lines {
                    try await write(lines, to: outbound, resumeFrom: pageStart)
                }
                continue
            }
            if !live {
                consumer?.sent(through: head)
                try await write(line(Reply.live, ["position": .number(.init(head))]), to: outbound, resumeFrom: next)
                live = true
            }
            guard await ports.notifier.wait(after: head, id: control.id) != nil else { break }
        }
        return (delivered, next)
    }

    /// The next page of the log from `position` as `EVENT` lines of the events `filter` passes (nil when none
    /// passes), how many, and the position after the page (`position` itself at the head).
    private func filteredPage(
        from position: UInt64,
        filter: EventFilter
    ) throws(EventLogError) -> (lines: ByteBuffer?, count: Int, next: UInt64) {
        let events = try ports.log.readAll(
            from: position,
            limit: ports.configuration.readPageSize,
            maxBytes: pageBytes
        )
        guard let last = events.last else { return (nil, 0, position) }
        let wanted = filter.isEmpty ? events : events.filter { filter.matches(type: $0.type, stream: $0.stream) }
        guard !wanted.isEmpty else { return (nil, 0, last.position + 1) }
        return (Self.eventLines(wanted), wanted.count, last.position + 1)
    }

    /// One reply line made by `reply` (`Reply.live`, `Reply.end`, ...) from `value`.
    func line(_ reply: (JSONValue, inout [UInt8]) -> Void, _ value: JSONValue) -> ByteBuffer {
        var bytes = [UInt8]()
        reply(value, &bytes)
        return ByteBuffer(bytes: bytes)
    }

    /// Writes the closing `END`.
    func end(_ value: JSONValue, to outbound: Outbound) async throws {
        try await outbound.write(line(Reply.end, value))
    }

    /// Writes, giving up when the client has not made room within the stall limit: then `ERR OVERLOADED` naming the
    /// position to resume from is sent (waiting a bounded time for it to drain) and the connection is ended.
    func write(_ buffer: ByteBuffer, to outbound: Outbound, resumeFrom position: UInt64) async throws {
        let stall = ports.configuration.subscriberStallSeconds
        guard await !outbound.write(buffer, within: stall) else { return }
        ports.refusals.warning(
            "subscriber dropped",
            "subscriber dropped: not reading",
            metadata: ["peer": "\(peer)", "resumeFrom": .stringConvertible(position)]
        )
        let error = ProtocolError(
            .overloaded,
            "subscriber dropped: it left events unread for \(stall) s; resubscribe from position \(position)",
            fields: ["position": .number(.init(position))]
        )
        _ = await outbound.write(ByteBuffer(bytes: errorLine(error)), within: Self.dropDrainSeconds)
        throw ClientStalled()
    }

    /// How long a dropped subscriber is given to read what is queued, its `ERR OVERLOADED` included.
    static let dropDrainSeconds = 5.0
}
