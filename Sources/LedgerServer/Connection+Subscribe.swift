import EventLog
import LedgerJSON
import LedgerProtocol
import NIOCore

extension Connection {
    /// A subscriber that left this many seconds of events unread was dropped.
    struct SubscriberStalled: Error {}

    /// Streams the log from `from` (catch-up), sends `LIVE` once caught up, then new events as they commit, until
    /// stopped (`UNSUBSCRIBE`, disconnect, shutdown), then `END {"count","next"}`.
    ///
    /// Events are read from the log page by page, so a slow subscriber costs no memory; one whose socket stays full
    /// for `subscriberStallSeconds` is sent `ERR OVERLOADED` with the position to resume from and disconnected.
    func subscribe(from: UInt64, types: Set<String>, control: SubscriptionControl, outbound: Outbound) async throws {
        defer {
            service.notifier.release(control.id)
            service.metrics.subscriberEnded(control.id)
        }
        let log = service.log
        var next = max(from, 1)
        var delivered = 0
        var live = false
        while true {
            service.metrics.subscriber(control.id, next: next)
            let head = log.head.position
            if next <= head {
                let events: [RecordedEvent]
                do {
                    events = try log.readAll(from: next, limit: service.configuration.readPageSize)
                } catch {
                    try await send(error: error.wire, to: outbound)
                    return
                }
                guard let last = events.last else { break }
                let pageStart = next
                var buffer = [UInt8]()
                for event in events where types.isEmpty || event.type.map({ types.contains(String($0)) }) == true {
                    Reply.event(event.bytes, to: &buffer)
                    delivered += 1
                }
                next = last.position + 1
                if !buffer.isEmpty {
                    try await write(buffer, to: outbound, resumeFrom: pageStart)
                }
                continue
            }
            if !live {
                var line = [UInt8]()
                Reply.live(["position": .number(.init(head))], to: &line)
                try await write(line, to: outbound, resumeFrom: next)
                live = true
            }
            guard await service.notifier.wait(after: head, id: control.id) != nil else { break }
        }
        var end = [UInt8]()
        Reply.end(["count": .number(.init(delivered)), "next": .number(.init(next))], to: &end)
        try await outbound.write(ByteBuffer(bytes: end))
    }

    /// Writes, giving up when the client has not made room within the stall limit: then `ERR OVERLOADED` naming the
    /// position to resume from is sent (waiting a bounded time for it to drain) and the connection is ended.
    private func write(_ bytes: [UInt8], to outbound: Outbound, resumeFrom position: UInt64) async throws {
        let stall = service.configuration.subscriberStallSeconds
        guard await !outbound.write(ByteBuffer(bytes: bytes), within: stall) else { return }
        service.logger.warning(
            "subscriber dropped: not reading",
            metadata: ["peer": "\(peer)", "resumeFrom": "\(position)"]
        )
        let error = ProtocolError(
            .overloaded,
            "subscriber dropped: it left events unread for \(stall) s; resubscribe from position \(position)",
            fields: ["position": .number(.init(position))]
        )
        _ = await outbound.write(ByteBuffer(bytes: errorLine(error)), within: Self.dropDrainSeconds)
        throw SubscriberStalled()
    }

    /// How long a dropped subscriber is given to read what is queued, its `ERR OVERLOADED` included.
    static let dropDrainSeconds = 5.0
}
