import Commissioning
import EventLog
import Foundation
import LedgerJSON
import Logging
import NIOPosix
import ReadModels
import Synchronization

/// Keeps the commissioning projections up to date with the log.
///
/// One thread restores the last checkpoint, then folds committed events in log order into the live `Projections`,
/// which keep only the registries and the links between cases, requirements and contracts (`.registries`): the
/// histories stay in the log. The fold writes what each page changed into the read models (`ReadModelFeed`, computing
/// the changed parts from the histories it reads from the log), and the queries across the log read those in
/// snapshots (`StreamedAnswer`); a query about one entity's history reads its streams from the log (`EntityQueries`),
/// so the fold never waits for a query. Every few seconds it saves the state and its position as a checkpoint
/// through the writer, so a restart resumes there instead of replaying the log. `rebuild()` folds a fresh copy from
/// position 1, a page after each page of the live fold, up to the live position, then compares the two fact by fact
/// and swaps.
final class ProjectionHost: Sendable {
    /// The checkpoint name, and the projection name `REBUILD` and `STATUS` use.
    static let name = "commissioning"
    /// How often a long catch-up (after a restart from an old checkpoint) saves its progress.
    static let catchUpCheckpointInterval = Duration.seconds(60)
    /// A save encoding for this long (the first one of a large state, say) leaves much garbage behind.
    static let largeSave = Duration.milliseconds(100)
    /// The most events between the read models' position and the checkpoint's that a start resumes the read models
    /// across (noting what each changed); further apart, they are written afresh.
    static let readModelResumeLimit: UInt64 = 1_000_000
    /// How long a stopping daemon goes on folding committed events before it saves its last checkpoint.
    static let finalFoldLimit = Duration.seconds(2)
    /// The fewest events folded since the last compaction that make another worth its walk over every fact.
    static let compactionGrowth: UInt64 = 100_000

    /// What a rebuild did.
    struct RebuildReport: Sendable {
        var position: UInt64
        var seconds: Double
        /// Whether the fresh state equals the incrementally built one (so their encodings are identical, byte for byte).
        var identical: Bool
    }

    private struct Control: Sendable {
        var stopping = false
        var rebuilds: [CheckedContinuation<Result<RebuildReport, EventLogError>, Never>] = []
    }

    /// A fresh copy being folded from position 1, a page at a time between the live fold's pages.
    private struct RebuildInProgress {
        var fresh = Projections(scope: .registries)
        /// Pages of its own, read ahead from where the fresh copy is.
        var pages: ProjectionPages
        let started = ContinuousClock.now
    }

    private let log: EventLog
    private let logger: Logger
    /// The read models, when they could be opened.
    private let readModels: ReadModelStore?
    /// Whether the read models hold the live state as of `readModelPosition` (they do not before the first write
    /// after a start that found them behind, nor after a failed write), so queries may read them.
    private let readModelsServe = Atomic(false)
    private let readModelPosition = Atomic<UInt64>(0)
    private let checkpointInterval: Duration
    private let live: Mutex<Projections>
    /// The live projections' position, set by the fold thread whenever it changes them, so that `STATUS`, `QUERY AFTER`
    /// and the metrics, which read it on the event loops, never take their lock.
    private let folded = Atomic<UInt64>(0)
    /// The streams of each entity's history as of the live projections' position, updated with them: queries about
    /// one entity read these and never wait for the live projections.
    private let links = Mutex(HistoryLinks(Projections()))
    private let control = Mutex(Control())
    /// When the commits not folded yet were made, for `lagSeconds`.
    private let unfolded = Mutex(UnfoldedCommits())
    private let signal = NSCondition()
    /// Opened when the fold thread has stopped.
    private let stopped = Latch()
    /// The position folded so far, for `QUERY AFTER` to wait on.
    private let folds = PositionNotifier(0)
    /// The position the read models hold, for `QUERY AFTER` to wait on when they answer.
    private let readModelFolds = PositionNotifier(0)

    /// Empty projections at position 0; `start(saving:)` restores the last checkpoint on the fold thread.
    init(log: EventLog, logger: Logger, readModels: ReadModelStore?, checkpointInterval: Duration = .seconds(5)) {
        self.log = log
        self.logger = logger
        self.readModels = readModels
        self.checkpointInterval = checkpointInterval
        live = Mutex(Projections(scope: .registries))
    }

    /// The last checkpoint's projections (of scope `.registries`), and whether its records hold more facts than
    /// those keep (saved before the read models kept the histories); nil when there is none or it cannot be read (or
    /// lacks facts).
    private static func restore(from log: EventLog, logger: Logger) -> (projections: Projections, keptMore: Bool)? {
        do {
            guard let checkpoint = try log.checkpoint(named: name) else { return nil }
            var restorer = try Projections.StateRestorer(header: checkpoint.state, scope: .registries)
            // Records are parsed and decoded a few ahead on other threads while the facts before are recorded.
            var ahead: [Prefetch<Projections.PreparedFacts>] = []
            func recordOldest() throws {
                guard let facts = ahead.removeFirst().take() else {
                    throw EventLogError.storage("a prepared checkpoint record was already taken")
                }
                try restorer.add(facts)
            }
            var failure: (any Error)?
            try log.forEachCheckpointRecord(named: name) { _, lines in
                do {
                    let bytes = Array(lines)
                    ahead.append(Prefetch { Projections.PreparedFacts(lines: bytes) })
                    if ahead.count > ProjectionPages.pagesAhead { try recordOldest() }
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            while !ahead.isEmpty { try recordOldest() }
            let projections = try restorer.finish()
            guard projections.position == checkpoint.position, checkpoint.position <= log.head.position else {
                logger.warning("projection checkpoint does not match the log; rebuilding from position 1")
                return nil
            }
            return (projections, restorer.savedMore)
        } catch {
            logger.warning(
                "cannot read the projection checkpoint; rebuilding from position 1",
                metadata: ["error": "\(error)"]
            )
            return nil
        }
    }

    /// The read models for `STATUS`: whether they answer queries now, the position they hold and their reader slots
    /// (`null` when they could not be opened). While a checkpoint is restored, they answer at their own position
    /// although the live projections' `position` is still 0.
    var readModelsStatus: JSONValue {
        guard let readModels else { return .null }
        let readers = readModels.readers
        return [
            "serving": .bool(readModelsServe.load(ordering: .acquiring)),
            "position": .number(.init(readModelPosition.load(ordering: .acquiring))),
            "readers": ["used": .number(.init(readers.used)), "max": .number(.init(readers.max))],
        ]
    }

    /// The position the live projections reflect.
    var position: UInt64 { folded.load(ordering: .acquiring) }

    /// Starts the fold thread (`ledger-fold`); checkpoints are saved through `writer`.
    func start(saving writer: GroupCommitWriter) {
        NamedThread.start("ledger-fold") { [self] in run(writer: writer) }
    }

    /// Records that a commit moved the head to `head` (for `lagSeconds`) and wakes the fold thread.
    func committed(through head: UInt64) {
        let now = ContinuousClock.now
        unfolded.withLock { $0.committed(through: head, at: now) }
        headMoved()
    }

    /// Seconds since the projections last held every committed event; 0 when they hold them all.
    var lagSeconds: Double {
        let now = ContinuousClock.now
        let position = self.position
        return unfolded.withLock { unfolded in
            unfolded.folded(through: position)
            return unfolded.lagSeconds(at: now)
        }
    }

    /// Wakes the fold thread: the head has moved.
    func headMoved() {
        signal.lock()
        signal.signal()
        signal.unlock()
    }

    /// Answers a query as of the live projections' position, with leaf hashes from the log, and makes `reply` of it,
    /// on the shared thread pool: one about an entity's history from the log itself (`EntityQueries`), with the streams
    /// it reads named by the `HistoryLinks`; any other only when it needs no more than the registries the live
    /// projections keep (a malformed query's error, say): the read models answer the rest (`streamedAnswer`). Neither
    /// holds the live projections' lock while it works, so the fold never waits.
    /// - Returns: `reply`'s result, or why the query was refused.
    /// - Throws: when the daemon is stopping and the thread pool no longer runs work.
    func answer<Reply: Sendable>(
        _ arguments: [String],
        reply: @escaping @Sendable (QueryResult, UInt64) -> Reply
    ) async throws -> Result<Reply, QueryError> {
        try await NIOThreadPool.singleton.runIfActive {
            Result { () throws(QueryError) in
                let (result, position) = try self.query(arguments)
                return reply(result, position)
            }
        }
    }

    /// A query the read models answer (`payments commissioner|provider <id> [period]`, `audit exceptions
    /// [commissioner]`, `quality provider <id>`, `market commissioner <id> [period]`) ready to be answered part by part
    /// from a snapshot of them, whole or the `page` of it, opened on the shared thread pool; nil when they do not
    /// answer it now (another form, or they are not serving: `answer(_:reply:)` then says why).
    /// - Returns: the answer to stream, or why the query was refused.
    /// - Throws: when the daemon is stopping and the thread pool no longer runs work.
    func streamedAnswer(_ arguments: [String], page: QueryPage?) async throws -> Result<StreamedAnswer, QueryError>? {
        guard StreamedAnswer.Query.answers(arguments), page == nil || StreamedAnswer.Query.isPaged(arguments) else {
            guard page == nil else { return .failure(.badRequest(QueryPage.offeredFor)) }
            return nil
        }
        guard let readModels, readModelsServe.load(ordering: .acquiring) else { return nil }
        return try await NIOThreadPool.singleton.runIfActive {
            Result { () throws(QueryError) in try StreamedAnswer(arguments, from: readModels, page: page) }
        }
    }

    /// Answers a query as `answer(_:reply:)` does, on the calling thread.
    /// - Returns: the answer and the position of the state it was computed from.
    func query(_ arguments: [String]) throws(QueryError) -> (result: QueryResult, position: UInt64) {
        var part = links.withLock { links in
            links.streams(answering: arguments).map { (streams: $0, position: links.position) }
        }
        // While the checkpoint is restored (and until the fold passes a store left ahead of it by a crash), the read
        // models' links name the streams, as of their position.
        if let known = part, let readModels, readModelsServe.load(ordering: .acquiring),
            known.position < readModelPosition.load(ordering: .acquiring)
        {
            part = try StreamedAnswer.reading {
                let snapshot = try readModels.snapshot()
                defer { snapshot.close() }
                guard let state = try snapshot.state(), let streams = try snapshot.streams(answering: arguments) else {
                    return known
                }
                return (streams, state.position)
            }
        }
        if let part {
            let result = try EntityQueries(log: log).answer(arguments, streams: part.streams, at: part.position)
            return (result, part.position)
        }
        guard !StreamedAnswer.Query.answers(arguments) else {
            guard readModels != nil else {
                throw .internal(
                    "the read models could not be opened (the daemon's log says why), so they cannot answer"
                )
            }
            throw .unavailable(
                "the read models are being written afresh (from the log, after a first start, a restore or a "
                    + "layout change; STATUS shows when they serve); ask again in a while"
            )
        }
        // A copy of the live projections, whose storage they share until the fold next changes them (the fold then
        // copies what it changes): the query runs without the lock, and the fold never waits for it.
        let projections = live.withLock { $0 }
        let result = try projections.query(arguments) { (position) throws(QueryError) in
            try log.leafHashForQuery(at: position)
        }
        return (result, projections.position)
    }

    /// Waits until what answers queries reflects `position` (the read models while they serve: the live
    /// projections are behind them only while a checkpoint is restored or a store left ahead of it by a crash is
    /// caught up with, when the read models' links name the streams too; the live projections otherwise), for at most
    /// `timeout`; returns whether it does.
    func wait(for position: UInt64, timeout: Duration) async -> Bool {
        await (readModelsServe.load(ordering: .acquiring) ? readModelFolds : folds).wait(
            until: position,
            timeout: timeout
        )
    }

    /// Folds a fresh copy from position 1 (a page at a time between the live fold's pages, so the live fold goes on)
    /// up to the live position, compares and swaps it in. Requests made while one runs are answered by it.
    func rebuild() async -> Result<RebuildReport, EventLogError> {
        await withCheckedContinuation { continuation in
            let accepted = control.withLock { control in
                guard !control.stopping else { return false }
                control.rebuilds.append(continuation)
                return true
            }
            if accepted { headMoved() } else { continuation.resume(returning: .failure(.shuttingDown)) }
        }
    }

    /// Folds what was committed (for at most `finalFoldLimit`), saves a last checkpoint and stops the thread. Call
    /// before the writer shuts down.
    func stop() async {
        control.withLock { $0.stopping = true }
        headMoved()
        await stopped.wait()
    }

    // MARK: The fold thread

    /// Restores the checkpoint (so the daemon serves at once, however large the state; until then the projections
    /// answer at position 0, as during any catch-up), then folds new events as they commit.
    private func run(writer: GroupCommitWriter) {
        // The read models serve at once, at their own position, while the checkpoint is restored.
        var feed = readModels.map { store in
            ReadModelFeed(store: store, ledger: log.ledgerID, state: try? store.state(), head: log.head.position)
        }
        if let stored = feed?.stored { readModelsServed(through: stored) }
        let restoredState = Self.restore(from: log, logger: logger)
        let restored = restoredState?.projections
        if let restored {
            logger.info(
                "projections restored from their checkpoint",
                metadata: ["position": .stringConvertible(restored.position)]
            )
            live.withLock { $0 = restored }
            links.withLock { $0 = HistoryLinks(restored) }
            folded.store(restored.position, ordering: .releasing)
        }
        if let stored = feed?.stored, !resume(&feed, from: stored, to: restored) {
            feed?.replaceAll()
            readModelsServed(through: nil)
        }
        var pages = ProjectionPages(log: log)
        // The stored checkpoint holds the facts up to `saved.position`; without a usable one, the next save replaces
        // whatever records are stored, and so does the first save after restoring one that kept more facts than the
        // projections now keep (saved as soon as it is due, even if nothing new was committed).
        let keptMore = restoredState?.keptMore == true
        var saved = (position: keptMore ? 0 : position, at: ContinuousClock.now, encoding: Duration.zero)
        var replaceRecords = restored == nil || keptMore
        var stopDeadline: ContinuousClock.Instant?
        // Restoring, folding more than a page, and a long save each free much of what they allocated; the memory is
        // handed back once caught up.
        var trim = HeapTrim.Schedule(interval: .seconds(10))
        if restored != nil { trim.freed() }
        // A restore, a rebuild or a catch-up that grew the state by a quarter leaves spare list storage to compact.
        var compaction = (due: restored != nil, base: position)
        func save() {
            saved = (position, .now, self.save(writer: writer, after: saved.position, replacing: replaceRecords))
            replaceRecords = false
            if saved.encoding >= Self.largeSave { trim.freed(settling: .seconds(5)) }
        }
        var rebuild: RebuildInProgress?
        while true {
            let (stopping, asked) = control.withLock { ($0.stopping, !$0.rebuilds.isEmpty) }
            if stopping, rebuild != nil {
                rebuild = nil
                answerRebuilds(.failure(.shuttingDown))
            } else if asked, rebuild == nil {
                rebuild = RebuildInProgress(pages: ProjectionPages(log: log))
            }
            // At shutdown the fold first catches up with what was committed (for at most `finalFoldLimit`), so that
            // the last checkpoint holds every acknowledged event and a restart replays nothing.
            if stopping, stopDeadline == nil { stopDeadline = .now + Self.finalFoldLimit }
            let outOfTime = stopDeadline.map { ContinuousClock.now >= $0 } ?? false
            let caughtUp = outOfTime || foldNextPage(&pages, feed: &feed)
            let folded = position
            unfolded.withLock { $0.folded(through: folded) }
            // The last write before stopping (not one afresh) is due at once: the store then holds the last
            // checkpoint's position, and the next start reads it as it is.
            let lastWrite = stopping && caughtUp && feed.map { !$0.writesAfresh } == true
            if var current = feed, current.isDue(at: folded, caughtUp: caughtUp) || lastWrite {
                // A write afresh empties the store first: queries must not read it until it is whole again.
                if current.writesAfresh { readModelsServed(through: nil) }
                readModelsServed(through: current.write(live.withLock { $0 }, log: log, logger: logger))
                feed = current
            }
            folds.publish(folded)
            if !caughtUp { trim.freed() }
            // A rebuild goes a page further after each page of the live fold, so the live fold never waits for it.
            if var current = rebuild {
                rebuild = nil
                if let result = rebuildStep(&current) {
                    answerRebuilds(result)
                    // The stored facts stay valid when the fresh state equals the live one; otherwise they are replaced.
                    if case .success(let report) = result, !report.identical {
                        replaceRecords = true
                        save()
                        feed?.replaceAll()
                        readModelsServed(through: nil)
                    }
                    compaction.due = true
                    trim.freed()
                } else {
                    rebuild = current
                }
            }
            let finishing = stopping && caughtUp
            // A save walks every fact and encodes the new ones (all of them the first time), so save when caught up
            // (not on every page of a long catch-up), at shutdown, at least every `catchUpCheckpointInterval` while
            // catching up, and never so often that encoding takes more than a tenth of this thread's time.
            let due = max(caughtUp ? checkpointInterval : Self.catchUpCheckpointInterval, saved.encoding * 10)
            if position > saved.position, finishing || ContinuousClock.now - saved.at >= due { save() }
            if finishing { break }
            if caughtUp, rebuild == nil {
                if compaction.due || position - compaction.base >= max(Self.compactionGrowth, compaction.base / 4) {
                    compact()
                    compaction = (false, position)
                    trim.freed()
                }
                trim.trimIfDue()
                // Until the next commit, or until the read models' pending write is due.
                sleepUntilSignalled(orUntil: feed?.due(at: position, caughtUp: true))
            }
        }
        folds.finish()
        readModelFolds.finish()
        stopped.open()
    }

    /// Makes the read models, which hold the log up to `stored`, resume from there rather than be written afresh,
    /// when `restored` (the checkpoint's projections; nil without one) is near: after a crash the store is a little
    /// ahead of the checkpoint (written every 20 ms, the checkpoint every 5 s), or behind it. The events between the
    /// two are noted as changed: those after the checkpoint as the fold goes over them again, those before it read
    /// from the log here; the next write (once the fold is past `stored`) brings what they changed to the live
    /// position. Returns false when the store must be written afresh instead.
    private func resume(_ feed: inout ReadModelFeed?, from stored: UInt64, to restored: Projections?) -> Bool {
        let checkpoint = restored?.position ?? 0
        guard stored != checkpoint else { return true }
        guard restored != nil, max(stored, checkpoint) - min(stored, checkpoint) <= Self.readModelResumeLimit else {
            return false
        }
        guard stored < checkpoint else { return true }
        var pages = ProjectionPages(log: log)
        var from = stored + 1
        do {
            while from <= checkpoint {
                let events = try pages.page(from: from).filter { $0.position <= checkpoint }
                guard let last = events.last else { return false }
                links.withLock { links in feed?.add(events, links: links) }
                from = last.position + 1
            }
        } catch {
            logger.warning("cannot read the log to resume the read models", metadata: ["error": "\(error)"])
            return false
        }
        logger.info(
            "read models resume from their position",
            metadata: ["position": .stringConvertible(stored), "checkpoint": .stringConvertible(checkpoint)]
        )
        return true
    }

    /// Moves the live facts into storage that fits them (`Projections.compact()`), under the lock (the registries:
    /// milliseconds).
    private func compact() {
        let started = ContinuousClock.now
        // In place, under the lock: a copy compacted outside it would hold the old storage and the new at once. The
        // event loops read the position without the lock.
        live.withLock { $0.compact() }
        logger.debug("projections compacted", metadata: ["seconds": "\(ContinuousClock.now - started)"])
    }

    /// Notes that the read models hold the live state as of `position`, or (nil) that they are not to be read.
    private func readModelsServed(through position: UInt64?) {
        if let position { readModelPosition.store(position, ordering: .releasing) }
        readModelsServe.store(position != nil, ordering: .releasing)
        if let position { readModelFolds.publish(position) }
    }

    /// Applies the next page of committed events, noting what it changed for the read models in `feed`; returns true
    /// when there was nothing left to fold.
    private func foldNextPage(_ pages: inout ProjectionPages, feed: inout ReadModelFeed?) -> Bool {
        let from = position + 1
        guard from <= log.head.position else { return true }
        do {
            var events = try pages.page(from: from)
            live.withLock { projections in
                projections.apply(&events)
                links.withLock { links in
                    links.add(events, appliedTo: projections)
                    feed?.add(events, links: links)
                }
                folded.store(projections.position, ordering: .releasing)
            }
            let count = events.count
            pages.retire(events)
            return count < ProjectionPages.pageSize
        } catch {
            logger.error(
                "projections cannot read the log",
                metadata: ["position": .stringConvertible(from), "error": "\(error)"]
            )
            return true
        }
    }

    /// Waits (for at most a second) until a commit or a request wakes the fold thread, or until `deadline`.
    private func sleepUntilSignalled(orUntil deadline: ContinuousClock.Instant?) {
        signal.lock()
        defer { signal.unlock() }
        let idle = control.withLock { $0.rebuilds.isEmpty && !$0.stopping }
        guard idle, position >= log.head.position else { return }
        let wait = min(Duration.seconds(1), deadline.map { $0 - .now } ?? .seconds(1))
        guard wait > .zero else { return }
        _ = signal.wait(until: Date(timeIntervalSinceNow: wait / .seconds(1)))
    }

    /// Saves the live state as a checkpoint: its header, and the facts recorded after `after` (all of them, replacing
    /// the stored ones, when `replacing`) as records of up to 256 facts each, and writes the committed head into the
    /// ledger's identity record; returns how long encoding took.
    ///
    /// The state is encoded from a copy taken under the lock, so queries go on meanwhile; only this thread changes
    /// the live state, so the copy shares its storage and costs nothing.
    private func save(writer: GroupCommitWriter, after: UInt64, replacing: Bool) -> Duration {
        let snapshot = live.withLock { $0 }
        let started = ContinuousClock.now
        let (header, chunks) = snapshot.encodedParts(after: replacing ? 0 : after)
        let encoding = ContinuousClock.now - started
        writer.save(
            ProjectionCheckpoint(
                name: Self.name,
                position: snapshot.position,
                state: header,
                records: chunks.map { ProjectionCheckpoint.Record(key: $0.firstPosition, bytes: $0.lines) },
                replacesRecords: replacing
            )
        )
        // The identity record follows the checkpoints (every few seconds while events come), never each commit.
        do {
            try log.recordIdentity()
        } catch {
            logger.error("cannot update the ledger identity record", metadata: ["error": "\(error)"])
        }
        return encoding
    }

    /// Folds a fresh copy up to the live position, compares it with the live one fact by fact and swaps it in.
    /// Answers every `REBUILD` waiting with `result`.
    private func answerRebuilds(_ result: Result<RebuildReport, EventLogError>) {
        let waiters = control.withLock { control in
            defer { control.rebuilds.removeAll() }
            return control.rebuilds
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    /// Folds the next page of the rebuild's fresh copy, up to the live position; once it is there, compares it with the
    /// live copy and swaps it in.
    /// - Returns: the rebuild's result once it is over, nil while it goes on.
    private func rebuildStep(_ rebuild: inout RebuildInProgress) -> Result<RebuildReport, EventLogError>? {
        let target = position
        if rebuild.fresh.position < target {
            do {
                var events = try rebuild.pages.page(from: rebuild.fresh.position + 1)
                guard !events.isEmpty else {
                    return .failure(
                        .storage("the log ends at \(rebuild.fresh.position), before the live position \(target)")
                    )
                }
                rebuild.fresh.apply(&events, through: target)
                rebuild.pages.retire(events)
            } catch {
                return .failure(error)
            }
            if rebuild.fresh.position < target { return nil }
        }
        let fresh = rebuild.fresh
        let started = rebuild.started
        // Equal states encode to identical bytes (the encoding is deterministic), so comparing the facts is the
        // byte-for-byte comparison without encoding either. Only this thread changes the live state, so the copy
        // taken here (sharing its storage) is the one the swap replaces, and it is compared (on every core) outside the
        // lock while queries go on. The old state is freed on another thread: the answer need not wait for every fact to be
        // released.
        let replaced = live.withLock { $0 }
        let identical = Self.allHold(replaced.comparisons(with: fresh))
        live.withLock { $0 = fresh }
        links.withLock { $0 = HistoryLinks(fresh) }
        folded.store(fresh.position, ordering: .releasing)
        let retired = Retired(consume replaced)
        DispatchQueue.global().async { retired.free() }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        logger.info(
            "projections rebuilt",
            metadata: [
                "position": .stringConvertible(target), "seconds": .stringConvertible(seconds),
                "identical": .stringConvertible(identical),
            ]
        )
        return .success(RebuildReport(position: target, seconds: seconds, identical: identical))
    }
}

extension ProjectionHost {
    /// Whether every check holds, running them on every core (stopping the rest once one fails).
    static func allHold(_ checks: [@Sendable () -> Bool]) -> Bool {
        let holds = Atomic(true)
        DispatchQueue.concurrentPerform(iterations: checks.count) { index in
            guard holds.load(ordering: .relaxed) else { return }
            if !checks[index]() { holds.store(false, ordering: .relaxed) }
        }
        return holds.load(ordering: .relaxed)
    }
}

/// The state a rebuild replaced, freed off the fold thread (the rebuild's answer need not wait for every fact to be
/// released), after which the memory goes back to the kernel.
private final class Retired: Sendable {
    private let state: Mutex<Projections?>

    init(_ state: Projections) {
        self.state = Mutex(state)
    }

    func free() {
        state.withLock { $0 = nil }
        HeapTrim.now()
    }
}
