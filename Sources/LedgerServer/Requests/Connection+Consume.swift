import LedgerJSON
import LedgerProtocol

extension Connection {
    /// A durable consumer's turn (`CONSUME`): waits as a standby (`STANDBY`) while another connection holds the name,
    /// then streams the events after the consumer's acknowledged position as `SUBSCRIBE` would, with `ACKED` lines as
    /// its acknowledgements become durable, until stopped; then waits for the acknowledgements still being stored and
    /// writes `END {"count","next","acked"}`, or the error that ended it (an `ACK` of a position never sent). The name
    /// is handed to a standby only once every acknowledgement taken is durable, however the turn ends, so the standby
    /// starts after them.
    func consume(_ session: ConsumerSession, control: SubscriptionControl, outbound: Outbound) async throws {
        let consumers = ports.consumers
        let name = session.name
        // Releasing twice is harmless: the second finds the name no longer held by this connection.
        defer { consumers.release(name, id: control.id) }
        var acked: UInt64
        switch consumers.claim(name, id: control.id, peer: "\(peer)") {
        case .refused(let error):
            return try await send(error: error, to: outbound)
        case .holds(let position):
            acked = position
        case .standby:
            try await write(line(Reply.standby, ["consumer": .string(name)]), to: outbound, resumeFrom: 1)
            guard !ports.notifier.isStopped(control.id),
                let position = await consumers.waitForTurn(name, id: control.id)
            else {
                let acked = consumers.acked(name)
                return try await end(
                    ["count": 0, "next": .number(.init(acked + 1)), "acked": .number(.init(acked))],
                    to: outbound
                )
            }
            acked = position
        }
        session.begin(after: acked)
        let streamed: (delivered: Int, next: UInt64)?
        do {
            streamed = try await stream(
                from: acked + 1,
                filter: session.filter,
                control: control,
                outbound: outbound,
                consumer: session
            )
        } catch {
            // The client went or was dropped: its acknowledgements in flight are stored before a standby starts.
            _ = await session.settle()
            throw error
        }
        acked = await session.settle()
        // Handed over before the last line, so a client that reads it finds the name free (or its standby holding it).
        consumers.release(name, id: control.id)
        if let failure = session.failure { return try await send(error: failure, to: outbound) }
        guard let (delivered, next) = streamed else { return }
        try await end(
            ["count": .number(.init(delivered)), "next": .number(.init(next)), "acked": .number(.init(acked))],
            to: outbound
        )
    }
}
