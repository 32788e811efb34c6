import Synchronization

/// Bounds the requests one connection has queued or in flight. The reader takes a slot per request and waits when
/// none is free, so NIO stops reading from a client that pipelines faster than it is served.
final class RequestWindow: Sendable {
    private struct State: Sendable {
        var free: Int
        var closed = false
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let state: Mutex<State>

    init(limit: Int) {
        state = Mutex(State(free: limit))
    }

    /// Takes a slot; false when the window was closed (the connection is ending) or the task cancelled.
    func acquire() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let answer: Bool? = state.withLock { state in
                    if state.closed || Task.isCancelled { return false }
                    if state.free > 0 {
                        state.free -= 1
                        return true
                    }
                    state.waiter = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            close()
        }
    }

    /// Returns a slot.
    func release() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.free += 1
            return nil
        }
        waiter?.resume(returning: true)
    }

    /// Refuses every later `acquire` and wakes a waiting one.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: false)
    }
}
