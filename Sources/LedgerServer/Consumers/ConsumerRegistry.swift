import EventLog
import LedgerJSON
import LedgerProtocol
import Synchronization

/// The daemon's durable consumers: each name's durably acknowledged position (loaded from the log at start, then
/// kept as acknowledgements become durable), the connection that holds it, and the connections waiting to take over.
///
/// One connection holds a name at a time; the others wait in arrival order and the first of them takes over as soon as
/// the holder goes.
final class ConsumerRegistry: Sendable {
    /// What `claim` gives a connection.
    enum Claim: Sendable {
        /// The connection holds the name; delivery starts after `acked`.
        case holds(acked: UInt64)
        /// Another connection holds it; wait with `waitForTurn`.
        case standby
        /// A new name beyond `limits.maxConsumers`.
        case refused(ProtocolError)
    }

    /// One consumer as `STATUS` shows it.
    struct Summary: Sendable, Hashable {
        var name: String
        var acked: UInt64
        /// Who holds it (`uid 1000`, a certificate subject); nil when no connection does.
        var holder: String?
        var standby: Int
    }

    private struct Entry {
        var acked: UInt64
        var holder: (id: UInt64, peer: String)?
        var standbys: [(id: UInt64, peer: String, turn: CheckedContinuation<UInt64?, Never>?)] = []
    }

    private struct State {
        var entries: [String: Entry]
        /// Standbys that stopped before they were parked.
        var withdrawn: Set<UInt64> = []
        var finished = false
    }

    /// Stores a consumer's acknowledged position durably, calling back once it is (`GroupCommitWriter.acknowledge`).
    typealias Store = @Sendable (UInt64, String, @escaping GroupCommitWriter.EpochCompletion) -> Void

    private let state: Mutex<State>
    private let maxConsumers: Int
    private let storing: Store

    /// - Parameters:
    ///   - positions: the stored acknowledged positions, by name.
    ///   - maxConsumers: how many names may be kept (`limits.maxConsumers`).
    ///   - store: how acknowledgements are made durable.
    init(positions: [String: UInt64], maxConsumers: Int, store: @escaping Store) {
        state = Mutex(State(entries: positions.mapValues { Entry(acked: $0) }))
        self.maxConsumers = maxConsumers
        storing = store
    }

    /// Stores `position` as consumer `name`'s acknowledged position and calls `complete` once it is durable.
    func store(_ position: UInt64, consumer name: String, complete: @escaping GroupCommitWriter.EpochCompletion) {
        storing(position, name, complete)
    }

    /// The durably acknowledged position of `name` (0 when unknown).
    func acked(_ name: String) -> UInt64 {
        state.withLock { $0.entries[name]?.acked ?? 0 }
    }

    /// Takes `name` for connection `id` (of `peer`) when nobody holds it, or queues it as a standby.
    func claim(_ name: String, id: UInt64, peer: String) -> Claim {
        state.withLock { state in
            if state.entries[name] == nil {
                guard state.entries.count < maxConsumers else {
                    return .refused(
                        ProtocolError(
                            .overloaded,
                            "CONSUME: the ledger keeps \(maxConsumers) consumers (limits.maxConsumers); "
                                + "use an existing name",
                            fields: ["limit": "limits.maxConsumers"]
                        )
                    )
                }
                state.entries[name] = Entry(acked: 0)
            }
            guard var entry = state.entries[name] else { return .standby }
            defer { state.entries[name] = entry }
            guard entry.holder == nil else {
                entry.standbys.append((id, peer, nil))
                return .standby
            }
            entry.holder = (id, peer)
            return .holds(acked: entry.acked)
        }
    }

    /// Waits until standby `id` holds `name`, then returns the acknowledged position to deliver after; nil when it
    /// was withdrawn (`withdraw`) or the daemon is stopping.
    func waitForTurn(_ name: String, id: UInt64) async -> UInt64? {
        await withCheckedContinuation { (turn: CheckedContinuation<UInt64?, Never>) in
            let now: UInt64?? = state.withLock { state in
                if state.finished || state.withdrawn.remove(id) != nil { return .some(nil) }
                guard var entry = state.entries[name] else { return .some(nil) }
                if entry.holder?.id == id { return .some(entry.acked) }
                guard let index = entry.standbys.firstIndex(where: { $0.id == id }) else { return .some(nil) }
                entry.standbys[index].turn = turn
                state.entries[name] = entry
                return .none
            }
            if let now { turn.resume(returning: now) }
        }
    }

    /// Connection `id` no longer holds or waits for `name`: a holder hands the name to the first standby, which is
    /// woken at once.
    func release(_ name: String, id: UInt64) {
        let handOver: (CheckedContinuation<UInt64?, Never>, UInt64)? = state.withLock { state in
            state.withdrawn.remove(id)
            guard var entry = state.entries[name] else { return nil }
            defer { state.entries[name] = entry }
            guard entry.holder?.id == id else {
                entry.standbys.removeAll { $0.id == id }
                return nil
            }
            entry.holder = nil
            guard !entry.standbys.isEmpty else { return nil }
            let next = entry.standbys.removeFirst()
            entry.holder = (next.id, next.peer)
            return next.turn.map { ($0, entry.acked) }
        }
        if let (turn, acked) = handOver { turn.resume(returning: acked) }
    }

    /// Stops standby `id` from waiting (`UNSUBSCRIBE`, disconnect): its `waitForTurn` returns nil. A holder is
    /// untouched.
    func withdraw(_ name: String, id: UInt64) {
        let woken: CheckedContinuation<UInt64?, Never>?? = state.withLock { state in
            guard var entry = state.entries[name], let index = entry.standbys.firstIndex(where: { $0.id == id }) else {
                return nil
            }
            let standby = entry.standbys.remove(at: index)
            state.entries[name] = entry
            if standby.turn == nil { state.withdrawn.insert(id) }
            return .some(standby.turn)
        }
        if case .some(.some(let turn)) = woken { turn.resume(returning: nil) }
    }

    /// Records that `name`'s acknowledgements are durable through `position`.
    func acknowledged(_ name: String, through position: UInt64) {
        state.withLock { state in
            guard var entry = state.entries[name] else { return }
            entry.acked = max(entry.acked, position)
            state.entries[name] = entry
        }
    }

    /// Wakes every standby with nil and makes later waits return nil at once (shutdown).
    func finish() {
        let turns = state.withLock { state in
            state.finished = true
            var turns: [CheckedContinuation<UInt64?, Never>] = []
            for name in state.entries.keys {
                guard var entry = state.entries[name] else { continue }
                turns += entry.standbys.compactMap(\.turn)
                entry.standbys.removeAll()
                state.entries[name] = entry
            }
            return turns
        }
        for turn in turns { turn.resume(returning: nil) }
    }

    /// Every consumer, by name.
    var summaries: [Summary] {
        state.withLock { state in
            state.entries.map { name, entry in
                Summary(name: name, acked: entry.acked, holder: entry.holder?.peer, standby: entry.standbys.count)
            }
            .sorted { $0.name < $1.name }
        }
    }
}
