import Commissioning
import EventLog
import Logging
import ReadModels
import Synchronization

/// The fold thread's side of the read models: what the pages folded since the last write changed, written to the
/// store when the fold has caught up (and while it catches up, every `catchUpInterval`, or ten times as long as the
/// last write took when that is longer), or the whole state
/// written afresh when the store did not match it (at start, after a rebuild that changed the state, after a failed
/// write). A correction on a provider's stream rewrites the contracts whose rows name the provider (their market parts
/// read its scale).
struct ReadModelFeed {
    /// How often a long catch-up writes what it changed, at most, so queries never answer from a state much older;
    /// less often when writing takes more than a tenth of the time between writes (a contract a catch-up touches on
    /// every page is computed again at every write).
    static let catchUpInterval = Duration.seconds(1)
    /// The shortest time between two writes once the fold has caught up: `QUERY AFTER` an append waits up to this
    /// much longer, and the store commits at most 50 transactions a second beside the writer's.
    static let caughtUpInterval = Duration.milliseconds(20)
    /// How long a failed write waits before the next attempt (which writes the whole state).
    static let retryInterval = Duration.seconds(30)

    let store: ReadModelStore
    let ledger: String
    /// The position the store holds, or nil when it must be written afresh.
    private(set) var stored: UInt64?
    private var changes = ReadModelChanges()
    private var written = ContinuousClock.now
    /// How long the last write took.
    private var writing = Duration.zero
    private var retryAt = ContinuousClock.now

    /// A feed for `store`, which holds `state` (nil when it holds nothing usable: another ledger's, or a position
    /// beyond the log's `head`).
    init(store: ReadModelStore, ledger: String, state: ReadModelState?, head: UInt64) {
        self.store = store
        self.ledger = ledger
        stored = state.flatMap { $0.ledger == ledger && $0.position <= head ? $0.position : nil }
    }

    /// Notes what `events`, just applied (with `links` taken after them), change.
    mutating func add(_ events: [DomainEvent], links: HistoryLinks) {
        changes.add(events, links: links)
    }

    /// Makes the next write replace the whole store (the state changed in ways the changes noted do not cover).
    mutating func replaceAll() {
        stored = nil
    }

    /// Whether the next write replaces the whole store (emptying it first).
    var writesAfresh: Bool { stored == nil }

    /// When a write of what was folded up to `position` is due, with the fold caught up or not (nil when there is
    /// nothing to write): once caught up, at most every `caughtUpInterval`, so that appends arriving one by one are
    /// written together (each write commits and syncs a transaction, on the disk the writer syncs the log to).
    func due(at position: UInt64, caughtUp: Bool) -> ContinuousClock.Instant? {
        guard let stored else { return retryAt }
        guard position > stored else { return nil }
        return written + (caughtUp ? Self.caughtUpInterval : max(Self.catchUpInterval, writing * 10))
    }

    /// Whether a write is due at `position`, with the fold caught up or not.
    func isDue(at position: UInt64, caughtUp: Bool) -> Bool {
        due(at: position, caughtUp: caughtUp).map { ContinuousClock.now >= $0 } ?? false
    }

    /// Writes `projections` (the live registries, with the histories read from `log`): what changed since the last
    /// write, or all of it.
    /// - Returns: the position the store now holds, or nil when the write failed (the store is then not to be read).
    mutating func write(_ projections: Projections, log: EventLog, logger: Logger) -> UInt64? {
        let started = ContinuousClock.now
        let histories = LogHistories(log: log, position: projections.position)
        do {
            if let stored, !writesAfresh {
                guard projections.position > stored else { return stored }
                for provider in changes.restated {
                    changes.add(contracts: try store.contracts(naming: provider))
                    changes.add(requirements: try store.requirements(naming: provider))
                }
                for provider in changes.rerated { changes.add(contracts: try store.contracts(ratedBy: provider)) }
                try store.write(
                    ReadModelState(
                        ledger: ledger,
                        position: projections.position,
                        recorded: projections.recordedAtPosition
                    ),
                    changed: try ReadModelParts(changes, from: projections, reading: histories.events)
                )
            } else {
                try store.replaceAll(with: projections, ledger: ledger, reading: histories.events)
                logger.notice(
                    "read models written afresh",
                    metadata: [
                        "position": .stringConvertible(projections.position),
                        "seconds": "\(ContinuousClock.now - started)",
                    ]
                )
            }
            stored = projections.position
            changes = ReadModelChanges()
            written = .now
            writing = written - started
            return projections.position
        } catch {
            logger.error(
                "cannot write the read models; queries across the log answer UNAVAILABLE until a write succeeds",
                metadata: ["error": "\(error)", "retryInSeconds": "\(Self.retryInterval)"]
            )
            stored = nil
            changes = ReadModelChanges()
            retryAt = .now + Self.retryInterval
            return nil
        }
    }
}
