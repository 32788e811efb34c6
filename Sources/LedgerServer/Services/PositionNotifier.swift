import Synchronization

/// Wakes tasks waiting for a position to advance: the log's head (the writer thread publishes each commit,
/// subscriptions wait) or the projections' fold (the fold thread publishes, `QUERY AFTER` waits).
final class PositionNotifier: Sendable {
    private struct Waiter: Sendable {
        let id: UInt64
        let after: UInt64
        let continuation: CheckedContinuation<UInt64?, Never>
    }

    private struct State: Sendable {
        var head: UInt64
        var finished = false
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
        var stopped: Set<UInt64> = []
        /// Ids nudged while not waiting: their next wait returns at once.
        var nudged: Set<UInt64> = []
        /// Ids made and not yet released: `stop` and `nudge` of any other (a late call for a finished subscription)
        /// are ignored, so nothing is kept for an id nobody will release.
        var live: Set<UInt64> = []
    }

    private let state: Mutex<State>

    init(_ position: UInt64) {
        state = Mutex(State(head: position))
    }

    /// Records a new position and wakes everyone waiting for less.
    func publish(_ head: UInt64) {
        let woken = state.withLock { state -> [Waiter] in
            state.head = max(state.head, head)
            let ready = state.waiters.filter { $0.after < state.head }
            state.waiters.removeAll { $0.after < state.head }
            return ready
        }
        for waiter in woken { waiter.continuation.resume(returning: head) }
    }

    /// Wakes every waiter with nil and makes later waits return nil at once (shutdown).
    func finish() {
        let woken = state.withLock { state -> [Waiter] in
            state.finished = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in woken { waiter.continuation.resume(returning: nil) }
    }

    /// A fresh waiter id, for `wait` and `stop`.
    func makeID() -> UInt64 {
        state.withLock { state in
            state.nextID += 1
            state.live.insert(state.nextID)
            return state.nextID
        }
    }

    /// Returns the position once it is beyond `position`, or once `nudge(id)` was called; nil on shutdown, after
    /// `stop(id)`, or on task cancellation.
    func wait(after position: UInt64, id: UInt64) async -> UInt64? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<UInt64?, Never>) in
                let immediate: UInt64?? = state.withLock { state in
                    if state.finished || Task.isCancelled || state.stopped.contains(id) { return .some(nil) }
                    if state.head > position || state.nudged.remove(id) != nil { return .some(state.head) }
                    state.waiters.append(Waiter(id: id, after: position, continuation: continuation))
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            stop(id)
        }
    }

    /// Waits until the position is at least `position`, for at most `timeout`; returns whether it got there.
    func wait(until position: UInt64, timeout: Duration) async -> Bool {
        guard position > 0 else { return true }
        let id = makeID()
        let reached = await waitOrGiveUp(
            after: timeout,
            waiting: { await wait(after: position - 1, id: id) != nil },
            giveUp: { self.stop(id) }
        )
        // The timer may have stopped `id` in the meantime; now that it cannot any more, the id is forgotten.
        release(id)
        return reached
    }

    /// Makes waits with `id` return nil, now and from then on (the subscription was stopped).
    func stop(_ id: UInt64) {
        let waiter = state.withLock { state -> Waiter? in
            guard state.live.contains(id) else { return nil }
            state.stopped.insert(id)
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: nil)
    }

    /// Whether `stop(id)` was called.
    func isStopped(_ id: UInt64) -> Bool {
        state.withLock { $0.stopped.contains(id) }
    }

    /// Wakes the wait of `id` with the current position, or makes its next wait return at once (a consumer has an
    /// acknowledgement to confirm).
    func nudge(_ id: UInt64) {
        let woken = state.withLock { state -> (Waiter, UInt64)? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                if state.live.contains(id) { state.nudged.insert(id) }
                return nil
            }
            return (state.waiters.remove(at: index), state.head)
        }
        if let (waiter, head) = woken { waiter.continuation.resume(returning: head) }
    }

    /// Forgets a finished subscription's id.
    func release(_ id: UInt64) {
        state.withLock { state in
            state.live.remove(id)
            state.stopped.remove(id)
            state.nudged.remove(id)
        }
    }
}
