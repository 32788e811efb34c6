import EventLog
import LedgerJSON
import NIOCore
import NIOPosix
import Synchronization

/// The followers reading this daemon's log (`REPLICATE`), with the position each has stored durably: what `STATUS`
/// lists on a primary, and what appends wait for under semi-synchronous replication (`whenStored`). A connected
/// follower asks at least every `Connection.replicateWait`; one not heard from for `forgetAfter` is forgotten: no
/// longer listed nor counted.
///
/// Once a wait with a timeout has timed out, the registry is *degraded*: further such waits end at once
/// (`.degraded`) instead of each taking the whole timeout, until `synchronous` followers hold the position that
/// timed out (under steady appends a follower never holds the head of the moment, only one a little behind). Once
/// this daemon is being fenced (`refuse(with:)`), every wait, now and later, ends `.refused`.
final class FollowerRegistry: Sendable {
    /// How long a follower that has stopped asking stays listed.
    static let forgetAfter = Duration.seconds(10)

    private struct Follower {
        var stored: UInt64
        var heard: ContinuousClock.Instant
        /// When it last had stored the head as it was then.
        var caughtUp: ContinuousClock.Instant
    }

    /// How a wait for followers ended.
    enum Outcome: Sendable {
        case stored
        case timedOut
        /// Not waited for: an earlier wait timed out and the followers have not caught up since.
        case degraded
        /// This daemon was fenced (`FENCE`) before enough followers stored it: the append is not acknowledged.
        case refused(EventLogError)
    }

    /// An append's answer waiting until enough followers have stored its position (`SynchronousAppender`).
    private struct Waiter {
        let position: UInt64
        let count: Int
        let done: @Sendable (Outcome) -> Void
        var timer: Scheduled<Void>?
    }

    private struct State {
        var followers = [String: Follower]()
        var waiters = [UInt64: Waiter]()
        var nextWaiter: UInt64 = 0
        /// The position whose wait timed out, while degraded.
        var degradedAt: UInt64?
        /// Set when this daemon is fenced: no append is acknowledged any more.
        var refusal: EventLogError?
    }

    private let state = Mutex(State())
    /// How many followers must hold the head to end a degraded spell (`replication.syncFollowers`).
    private let synchronous: Int

    init(synchronous: Int = 0) {
        self.synchronous = synchronous
    }

    /// Whether waits end at once because an earlier one timed out (`ledger_replication_sync_degraded`).
    var isDegraded: Bool { state.withLock { $0.degradedAt != nil } }

    /// Takes back `refuse(with:)`: the fence it announced could not be recorded, and this daemon is still the primary.
    func withdrawRefusal() {
        state.withLock { $0.refusal = nil }
    }

    /// Notes that the follower `peer` has stored the log through `stored`, with the head at `head`.
    func stored(_ stored: UInt64, by peer: String, head: UInt64) {
        // A follower cannot hold what this daemon has not committed.
        let stored = min(stored, head)
        let now = ContinuousClock.now
        let satisfied = state.withLock { state in
            if state.followers[peer] == nil {
                // A new peer (a follower restarted, say): those gone quiet are dropped, so the table stays small.
                state.followers = state.followers.filter { now - $0.value.heard < Self.forgetAfter }
            }
            var follower = state.followers[peer] ?? Follower(stored: stored, heard: now, caughtUp: now)
            // A follower's requests may be taken out of order (`STORED` at once, `REPLICATE` in its turn).
            (follower.stored, follower.heard) = (max(follower.stored, stored), now)
            if follower.stored >= head { follower.caughtUp = now }
            state.followers[peer] = follower
            if let position = state.degradedAt, Self.holders(of: position, in: state, at: now) >= synchronous {
                state.degradedAt = nil
            }
            let ready = state.waiters.filter {
                Self.holders(of: $0.value.position, in: state, at: now) >= $0.value.count
            }
            for id in ready.keys { state.waiters[id] = nil }
            return ready.values
        }
        for waiter in satisfied {
            waiter.timer?.cancel()
            waiter.done(.stored)
        }
    }

    /// Ends every wait, now and from now on, with `.refused(error)`: this daemon is being fenced, and what it committed
    /// since its followers last stored is not acknowledged. Called before the fence is recorded, so that no wait
    /// timing out meanwhile is acknowledged.
    func refuse(with error: EventLogError) {
        let waiting = state.withLock { state in
            state.refusal = error
            defer { state.waiters.removeAll() }
            return state.waiters.values
        }
        for waiter in waiting {
            waiter.timer?.cancel()
            waiter.done(.refused(error))
        }
    }

    /// Calls `done(.stored)` once `count` followers have stored `position` (at once if they have), or
    /// `done(.timedOut)` after `timeout` (nil: it waits for them however long it takes), or `done(.degraded)` at once
    /// while degraded (only with a timeout).
    func whenStored(
        _ position: UInt64,
        byAtLeast count: Int,
        within timeout: Duration?,
        _ done: @escaping @Sendable (Outcome) -> Void
    ) {
        let (waiting, outcome): (UInt64?, Outcome?) = state.withLock { state in
            if let refusal = state.refusal { return (nil, .refused(refusal)) }
            guard Self.holders(of: position, in: state, at: .now) < count else { return (nil, .stored) }
            if timeout != nil, state.degradedAt != nil { return (nil, .degraded) }
            state.nextWaiter += 1
            state.waiters[state.nextWaiter] = Waiter(position: position, count: count, done: done)
            return (state.nextWaiter, nil)
        }
        if let outcome { return done(outcome) }
        guard let id = waiting else { return }
        guard let timeout else { return }
        let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(timeout)) {
            [self] in
            let expired = state.withLock { state in
                let expired = state.waiters.removeValue(forKey: id)
                if expired != nil { state.degradedAt = max(state.degradedAt ?? 0, position) }
                return expired
            }
            expired?.done(.timedOut)
        }
        let stillWaiting = state.withLock { state in
            state.waiters[id]?.timer = timer
            return state.waiters[id] != nil
        }
        if !stillWaiting { timer.cancel() }
    }

    /// How many followers heard from lately hold `position`.
    private static func holders(of position: UInt64, in state: State, at now: ContinuousClock.Instant) -> Int {
        state.followers.values.count { $0.stored >= position && now - $0.heard < forgetAfter }
    }

    /// `STATUS`'s list: each follower heard from lately, with its stored position and its lag behind `head` in
    /// events and in whole seconds (since it last held the head), in peer order.
    func status(head: UInt64) -> JSONValue {
        let now = ContinuousClock.now
        let listed = state.withLock { state in
            state.followers = state.followers.filter { now - $0.value.heard < Self.forgetAfter }
            return state.followers.sorted { $0.key < $1.key }
        }
        return .array(
            listed.map { peer, follower in
                let behind = head - min(follower.stored, head)
                let seconds = behind == 0 ? 0 : (now - follower.caughtUp).components.seconds
                return [
                    "peer": .string(peer), "stored": .number(.init(follower.stored)),
                    "lagEvents": .number(.init(behind)), "lagSeconds": .number(.init(seconds)),
                ]
            }
        )
    }
}
