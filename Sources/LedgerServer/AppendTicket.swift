import EventLog
import Synchronization

/// The outcome of one submitted append, delivered once by the writer thread and awaited by the connection's reply
/// task (which may start waiting before or after it arrives).
final class AppendTicket: Sendable {
    private enum State: Sendable {
        case waiting(CheckedContinuation<Result<AppendResult, EventLogError>, Never>?)
        case done(Result<AppendResult, EventLogError>)
    }

    private let state = Mutex(State.waiting(nil))

    /// Called once by the writer.
    func complete(_ result: Result<AppendResult, EventLogError>) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<AppendResult, EventLogError>, Never>? in
            guard case .waiting(let continuation) = state else { return nil }
            state = .done(result)
            return continuation
        }
        waiter?.resume(returning: result)
    }

    /// The outcome, once the transaction is durable.
    var result: Result<AppendResult, EventLogError> {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Result<AppendResult, EventLogError>? in
                    switch state {
                    case .done(let result): return result
                    case .waiting:
                        state = .waiting(continuation)
                        return nil
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
