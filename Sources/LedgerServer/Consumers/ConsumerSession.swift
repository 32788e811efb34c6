import EventLog
import LedgerJSON
import LedgerProtocol
import Synchronization

/// One connection's turn at a durable consumer (`CONSUME`): what it has been sent, which of its acknowledgements are
/// durable, and what it still has to be told (`ACKED`).
///
/// `ack` runs on the connection's event loop as each `ACK` line is read; the consumer's task (`Connection.consume`)
/// reads the rest as it streams.
final class ConsumerSession: Sendable {
    let name: String
    let filter: EventFilter
    /// The subscription id the session's task waits under (`PositionNotifier`).
    let id: UInt64

    private struct State {
        /// The highest position the client may acknowledge: every position up to it was sent or passed over.
        var sent: UInt64 = 0
        /// Acknowledged durably.
        var durable: UInt64 = 0
        /// An `ACKED` line is owed.
        var owed = false
        /// Acknowledgements given to the writer and not yet durable, and who waits for them all.
        var storing = 0
        var settled: [CheckedContinuation<Void, Never>] = []
        /// Why the consumption must end with an error rather than `END`.
        var failure: ProtocolError?
        var stopped = false
    }

    private let state = Mutex(State())
    private let registry: ConsumerRegistry
    private let notifier: PositionNotifier

    init(name: String, filter: EventFilter, id: UInt64, registry: ConsumerRegistry, notifier: PositionNotifier) {
        self.name = name
        self.filter = filter
        self.id = id
        self.registry = registry
        self.notifier = notifier
    }

    /// Starts delivery after `acked`, the consumer's durable position.
    func begin(after acked: UInt64) {
        state.withLock { state in
            state.sent = acked
            state.durable = acked
        }
    }

    /// Every position through `position` has been sent or passed over, so the client may acknowledge it.
    func sent(through position: UInt64) {
        state.withLock { $0.sent = max($0.sent, position) }
    }

    /// Takes `ACK position`: stored by the writer unless already durable; `ACKED` follows once it is.
    /// - Returns: the error that ends the consumption when `position` was never sent (the caller stops it).
    func ack(_ position: UInt64) -> ProtocolError? {
        let refusal: ProtocolError?? = state.withLock { state in
            guard position <= state.sent else {
                let refusal = ProtocolError(
                    .badRequest,
                    "ACK \(position): consumer \(name) has been sent positions up to \(state.sent) only",
                    fields: ["position": .number(.init(position)), "sent": .number(.init(state.sent))]
                )
                state.failure = refusal
                return .some(refusal)
            }
            guard position > state.durable else {
                state.owed = true
                return .some(nil)
            }
            state.storing += 1
            return .none
        }
        switch refusal {
        case .some(let refusal):
            if refusal == nil { notifier.nudge(id) }
            return refusal
        case .none:
            registry.store(position, consumer: name) { [self] result in stored(position, result) }
            return nil
        }
    }

    /// The writer's answer for an acknowledgement of `position`.
    private func stored(_ position: UInt64, _ result: Result<Void, EventLogError>) {
        let settled: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.storing -= 1
            switch result {
            case .success:
                state.durable = max(state.durable, position)
                state.owed = true
            case .failure(let error):
                state.failure = state.failure ?? error.wire
            }
            guard state.storing == 0 else { return [] }
            defer { state.settled.removeAll() }
            return state.settled
        }
        if case .success = result {
            registry.acknowledged(name, through: position)
            notifier.nudge(id)
        } else {
            notifier.stop(id)
        }
        for waiter in settled { waiter.resume() }
    }

    /// The position an `ACKED` line should now confirm, if one is owed.
    func confirmation() -> UInt64? {
        state.withLock { state in
            guard state.owed else { return nil }
            state.owed = false
            return state.durable
        }
    }

    /// Waits until every acknowledgement taken so far is durable (or failed), and returns the durable position.
    func settle() async -> UInt64 {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                guard state.storing > 0 else { return true }
                state.settled.append(waiter)
                return false
            }
            if done { waiter.resume() }
        }
        return state.withLock { $0.durable }
    }

    /// Why the consumption ends with an error, if it does.
    var failure: ProtocolError? { state.withLock { $0.failure } }

    /// Whether `stop` was called.
    var isStopped: Bool { state.withLock { $0.stopped } }

    /// Ends the session's wait as a standby (`UNSUBSCRIBE`, disconnect); its streaming is stopped by the notifier.
    func stop() {
        state.withLock { $0.stopped = true }
        registry.withdraw(name, id: id)
    }
}
