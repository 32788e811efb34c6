import Synchronization

/// A one-time event that tasks await and a thread signals: `wait()` returns once `open()` has been called, and does
/// not return early when its task is cancelled; `wait(timeout:)` gives up after a while.
///
/// It replaces polling with `Task.sleep`, which throws at once in a cancelled task: a loop of `try? await Task.sleep`
/// then spins a core until the event (the service group cancels the daemon when a graceful shutdown runs long).
final class Latch: Sendable {
    private struct State {
        var isOpen = false
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        /// Waits whose time ran out before they were registered.
        var expired: Set<UInt64> = []

        mutating func makeID() -> UInt64 {
            nextID += 1
            return nextID
        }
    }

    private let state = Mutex(State())

    /// Opens the latch, resuming every waiter; later waits return at once.
    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Returns once the latch is open.
    func wait() async {
        _ = await wait(id: state.withLock { $0.makeID() })
    }

    /// Returns true once the latch is open, or false when `timeout` passes first or the task is cancelled.
    func wait(timeout: Duration) async -> Bool {
        let id = state.withLock { $0.makeID() }
        let opened = await waitOrGiveUp(
            after: timeout,
            waiting: {
                await withTaskCancellationHandler {
                    await wait(id: id)
                } onCancel: {
                    giveUp(id)
                }
            },
            giveUp: { self.giveUp(id) }
        )
        state.withLock { _ = $0.expired.remove(id) }
        return opened
    }

    /// Ends the wait `id` with false, now or, if it has not begun yet, as soon as it does (unless the latch is open).
    private func giveUp(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.isOpen else { return nil }
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                state.expired.insert(id)
                return nil
            }
            return waiter
        }
        waiter?.resume(returning: false)
    }

    private func wait(id: UInt64) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer: Bool? = state.withLock { state in
                if state.isOpen { return true }
                if state.expired.remove(id) != nil { return false }
                state.waiters[id] = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }
}
