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
        /// The highest position acknowledged, durable or not.
        var requested: UInt64 = 0
        /// An `ACKED` line is owed.
        var owed = false
        /// A position is with the writer; `ACK`s meanwhile only raise `requested`, stored when it comes back (so a
        /// client acknowledging every event costs the writer one entry at a time, however fast it acknowledges).
        var storing = false
        /// Who waits for the acknowledgements to be stored.
        var settled: [CheckedContinuation<Void, Never>] = []
        /// Why the consumption must end with an error rather than `END`.
        var failure: ProtocolError?
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
            state.sent = max(state.sent, acked)
            state.durable = max(state.durable, acked)
        }
    }

    /// Every position through `position` has been sent or passed over, so the client may acknowledge it.
    func sent(through position: UInt64) {
        state.withLock { $0.sent = max($0.sent, position) }
    }

    /// Takes `ACK position`: stored by the writer unless already durable; `ACKED` follows once it is.
    /// - Returns: the error that ends the consumption when `position` was never sent (the caller stops it).
    func ack(_ position: UInt64) -> ProtocolError? {
        enum Step {
            case refuse(ProtocolError)
            case confirm
            case store(UInt64)
            case wait
        }
        // What the consumer has durably acknowledged may be acknowledged again at any time, even before this turn
        // has begun (a client repeating its last ACK on a new connection).
        let known = registry.acked(name)
        let step: Step = state.withLock { state in
            state.durable = max(state.durable, known)
            guard position <= max(state.sent, state.durable) else {
                let refusal = ProtocolError(
                    .badRequest,
                    "ACK \(position): consumer \(name) has been sent positions up to \(state.sent) only",
                    fields: ["position": .number(.init(position)), "sent": .number(.init(state.sent))]
                )
                state.failure = refusal
                return .refuse(refusal)
            }
            guard position > state.durable else {
                state.owed = true
                return .confirm
            }
            state.requested = max(state.requested, position)
            guard !state.storing else { return .wait }
            state.storing = true
            return .store(state.requested)
        }
        switch step {
        case .refuse(let refusal): return refusal
        case .confirm: notifier.nudge(id)
        case .store(let position): store(position)
        case .wait: break
        }
        return nil
    }

    private func store(_ position: UInt64) {
        registry.store(position, consumer: name) { [self] result in stored(position, result) }
    }

    /// The writer's answer for an acknowledgement of `position`: the next one asked for meanwhile goes to the writer.
    private func stored(_ position: UInt64, _ result: Result<Void, EventLogError>) {
        let (next, settled): (UInt64?, [CheckedContinuation<Void, Never>]) = state.withLock { state in
            switch result {
            case .success:
                state.durable = max(state.durable, position)
                state.owed = true
                if state.requested > state.durable, state.failure == nil { return (state.requested, []) }
            case .failure(let error):
                state.failure = state.failure ?? error.wire
            }
            state.storing = false
            defer { state.settled.removeAll() }
            return (nil, state.settled)
        }
        if case .success = result {
            registry.acknowledged(name, through: position)
            notifier.nudge(id)
        } else {
            notifier.stop(id)
        }
        if let next { store(next) }
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
                guard state.storing else { return true }
                state.settled.append(waiter)
                return false
            }
            if done { waiter.resume() }
        }
        return state.withLock { $0.durable }
    }

    /// Why the consumption ends with an error, if it does.
    var failure: ProtocolError? { state.withLock { $0.failure } }

    /// Ends the session's wait as a standby (`UNSUBSCRIBE`, disconnect), after the notifier has stopped `id` (so a
    /// task that claims the name after this finds `notifier.isStopped(id)`); its streaming is stopped by the notifier.
    func stop() {
        registry.withdraw(name, id: id)
    }
}
