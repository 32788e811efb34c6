import EventLog
import LedgerJSON
import LedgerProtocol
import NIOCore

extension Connection {
    /// A subscriber, or a client reading a streamed query answer, left it unread past the stall limit and was dropped.
    struct ClientStalled: Error {}

    /// Streams the log from `from` (catch-up), sends `LIVE` once caught up, then new events as they commit, until
    /// stopped (`UNSUBSCRIBE`, disconnect, shutdown), then `END {"count","next"}`.
    ///
    /// Events are read from the log a page at a time (`pageBytes`, half of `maxQueuedOutputBytes`), the next page only
    /// once the socket has taken the last, so a lagging subscriber holds at most one page of the daemon's memory; one
    /// whose socket stays full for `subscriberStallSeconds` is sent `ERR OVERLOADED` with the position to resume from
    /// and disconnected.
    func subscribe(from: UInt64, types: Set<String>, control: SubscriptionControl, outbound: Outbound) async throws {
        defer {
            ports.notifier.release(control.id)
            ports.metrics.subscriberEnded(control.id)
        }
        let log = ports.log
        var next = max(from, 1)
        var delivered = 0
        var live = false
        while true {
            ports.metrics.subscriber(control.id, next: next)
            let head = log.head.position
            if next <= head {
                let page: (lines: ByteBuffer?, count: Int, next: UInt64)
                do {
                    page = try filteredPage(from: next, types: types)
                } catch {
                    try await send(error: error.wire, to: outbound)
                    return
                }
                guard page.next > next else { break }
                let pageStart = next
                (next, delivered) = (page.next, delivered + page.count)
                if let lines = page.lines {
                    try await write(lines, to: outbound, resumeFrom: pageStart)
                }
                continue
            }
            if !live {
                var line = [UInt8]()
                Reply.live(["position": .number(.init(head))], to: &line)
                try await write(ByteBuffer(bytes: line), to: outbound, resumeFrom: next)
                live = true
            }
            guard await ports.notifier.wait(after: head, id: control.id) != nil else { break }
        }
        var end = [UInt8]()
        Reply.end(["count": .number(.init(delivered)), "next": .number(.init(next))], to: &end)
        try await outbound.write(ByteBuffer(bytes: end))
    }

    /// The next page of the log from `position` as `EVENT` lines of the wanted `types` (nil when none is wanted), how
    /// many, and the position after the page (`position` itself at the head).
    private func filteredPage(
        from position: UInt64,
        types: Set<String>
    ) throws(EventLogError) -> (lines: ByteBuffer?, count: Int, next: UInt64) {
        let events = try ports.log.readAll(
            from: position,
            limit: ports.configuration.readPageSize,
            maxBytes: pageBytes
        )
        guard let last = events.last else { return (nil, 0, position) }
        let wanted = events.filter { types.isEmpty || $0.type.map { types.contains(String($0)) } == true }
        guard !wanted.isEmpty else { return (nil, 0, last.position + 1) }
        return (Self.eventLines(wanted), wanted.count, last.position + 1)
    }

    /// Writes, giving up when the client has not made room within the stall limit: then `ERR OVERLOADED` naming the
    /// position to resume from is sent (waiting a bounded time for it to drain) and the connection is ended.
    private func write(_ buffer: ByteBuffer, to outbound: Outbound, resumeFrom position: UInt64) async throws {
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
