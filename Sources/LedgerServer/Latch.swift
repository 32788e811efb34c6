import Synchronization

/// A one-time event that tasks await and a thread signals: `wait()` returns once `open()` has been called, and does
/// not return early when its task is cancelled.
///
/// It replaces polling with `Task.sleep`, which throws at once in a cancelled task: a loop of `try? await Task.sleep`
/// then spins a core until the event (the service group cancels the daemon when a graceful shutdown runs long).
final class Latch: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Opens the latch, resuming every waiter; later waits return at once.
    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the latch is open.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                if !state.isOpen { state.waiters.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }
}
