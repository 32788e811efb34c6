import Foundation
import LedgerWire
import Synchronization

/// The single writer: one OS thread that owns every write transaction. Appends from any number of tasks queue
/// here; the thread takes everything queued (up to `maxBatchEvents`), commits it in one transaction made durable by
/// one journal record (`Journal`), and answers each caller with its own result. Callers arriving during a commit share
/// the next one's sync.
public final class GroupCommitWriter: Sendable {
    /// What one commit did, for metrics and subscribers.
    public struct Commit: Sendable {
        /// Requests in the transaction.
        public var requests: Int
        /// Events written (duplicates and refused requests excluded).
        public var events: Int
        /// The head after the commit.
        public var head: EventLog.Head
        /// Wall-clock seconds from the transaction's start until its events were durable (the journal's sync
        /// included), when its callers were answered.
        public var seconds: Double
    }

    /// Receives the outcome of one append, on the writer thread, possibly before LMDB has committed it
    /// (`EventLog.commit`): it must hand the answer on without reading the log or waiting (a read there would wait for
    /// the commit the thread has yet to make).
    public typealias Completion = @Sendable (Result<AppendResult, EventLogError>) -> Void
    /// Receives the outcome of recording a replication epoch, or of storing acknowledgements, on the writer thread.
    public typealias EpochCompletion = @Sendable (Result<Void, EventLogError>) -> Void

    /// Appends and their completions, in order, in two arrays: a batch hands its requests to the log as they are.
    private struct Batch: Sendable {
        var requests: [AppendRequest] = []
        var completions: [Completion] = []
    }

    private struct Queue: Sendable {
        var pending = Batch()
        /// The events of `pending`.
        var pendingEvents = 0
        /// The bytes of `pending`'s events (`AppendRequest.byteCount`).
        var pendingBytes = 0
        /// Checkpoints to save with the next transaction, the latest per name.
        var checkpoints: [String: ProjectionCheckpoint] = [:]
        /// Signed checkpoints to store with the next transaction, by tree size.
        var signedCheckpoints: [UInt64: SignedCheckpointRecord] = [:]
        /// Consumers' acknowledged positions to store with the next transaction, the latest per name, and who waits
        /// for them to be durable.
        var acknowledgements: [String: UInt64] = [:]
        var acknowledged: [EpochCompletion] = []
        /// Replication epochs to record before the next transaction, in order.
        var epochs: [(ReplicationEpoch, EpochCompletion)] = []
        /// Liveness pings to answer the next time the writer looks for work.
        var pings: [@Sendable () -> Void] = []
        var stopping = false
        /// The writer thread is (about to be) waiting for work and needs a signal.
        var sleeping = false
        /// While `sleeping`, how many queued requests are worth waking the writer for: one when it is idle, all it
        /// expects while it gathers callers (so each caller coming back does not wake it just to sleep again).
        var wakeAtRequests = 1
        /// How long the callers last answered take to come back.
        var comeback = Comeback()
        /// What answering the transaction in progress found, for the writer loop once it is over.
        var answered: Answered?
        var stopped = false
    }

    /// What one transaction's answers committed (when it wrote events), and how long the callers answered before took to
    /// come back (`Comeback.answering`).
    private struct Answered: Sendable {
        var commit: Commit?
        var returned: Duration?
    }

    /// The log written to.
    public let log: EventLog
    /// The most events taken into one transaction.
    public let maxBatchEvents: Int
    /// `maxBatchEvents` unless configured otherwise.
    public static let defaultMaxBatchEvents = 8192
    private let queue = Mutex(Queue())
    private let totals = Mutex(Totals())

    /// Counters since the writer started.
    public struct Totals: Sendable, Hashable {
        /// Transactions that wrote events.
        public var commits = 0
        /// Requests answered (including refused and duplicate ones).
        public var requests = 0
        /// Events written.
        public var events = 0
        /// Transactions whose callers were answered before LMDB committed them (`EventLog.commit`).
        public var earlyAnswers = 0
    }

    /// What the writer has done so far.
    public var statistics: Totals { totals.withLock { $0 } }
    private let wakeUp = NSCondition()
    private let finished = NSCondition()
    private let onStart: @Sendable () -> Void
    private let onCommit: @Sendable (Commit) -> Void
    private let onAnswered: @Sendable (Commit) -> Void

    /// Starts the writer thread.
    /// - Parameters:
    ///   - log: the log to append to.
    ///   - maxBatchEvents: the most events per transaction.
    ///   - onCommit: called on the writer thread for each transaction that wrote events once they are durable, just
    ///     before its callers are answered (what a caller asks next sees what it sets), possibly before LMDB commits
    ///     them: keep it short, and do not read the log there (as for `Completion`).
    ///   - onAnswered: called on the writer thread after the callers of such a commit were answered and LMDB holds its
    ///     events (for work that should not delay the answers, such as waking readers of the log); keep it short.
    ///   - onStart: called first on the writer thread (`ledger-writer`), to set its scheduling priority, say.
    public init(
        log: EventLog,
        maxBatchEvents: Int = GroupCommitWriter.defaultMaxBatchEvents,
        onCommit: @escaping @Sendable (Commit) -> Void = { _ in },
        onAnswered: @escaping @Sendable (Commit) -> Void = { _ in },
        onStart: @escaping @Sendable () -> Void = {}
    ) {
        self.log = log
        self.maxBatchEvents = maxBatchEvents
        self.onStart = onStart
        self.onCommit = onCommit
        self.onAnswered = onAnswered
        NamedThread.start("ledger-writer") { [self] in run() }
    }

    /// Queues `request` and returns once its transaction is durable.
    /// - Throws: `EventLogError`, including `.shuttingDown` after `shutdown()`.
    public func append(_ request: AppendRequest) async throws(EventLogError) -> AppendResult {
        let result = await withCheckedContinuation { continuation in
            submit(request) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Queues `request` now (so that requests submitted one after another commit in that order) and calls
    /// `complete` once its transaction is durable, or at once with `.shuttingDown` after `shutdown()`.
    public func submit(_ request: AppendRequest, complete: @escaping Completion) {
        let (accepted, wake) = queue.withLock { queue in
            guard !queue.stopping else { return (false, false) }
            queue.pending.requests.append(request)
            queue.pending.completions.append(complete)
            queue.pendingEvents += request.events.count
            queue.pendingBytes += request.byteCount
            queue.comeback.arrived(at: .now)
            let wake =
                queue.sleeping
                && (queue.pending.requests.count >= queue.wakeAtRequests || queue.pendingEvents >= maxBatchEvents)
            if wake { queue.sleeping = false }
            return (true, wake)
        }
        guard accepted else {
            complete(.failure(.shuttingDown))
            return
        }
        // Only a sleeping writer needs the (syscall-priced) signal; a busy one finds the request when it looks next.
        if wake { wakeWriter() }
    }

    /// Saves `checkpoint` in the next transaction (one of the same name still waiting is merged into it, its records
    /// kept unless `checkpoint` replaces them). Checkpoints are dropped after `shutdown()`; their owner saves again
    /// from the log on the next start.
    public func save(_ checkpoint: ProjectionCheckpoint) {
        let wake = queue.withLock { queue in
            guard !queue.stopping else { return false }
            queue.checkpoints[checkpoint.name] =
                queue.checkpoints[checkpoint.name]?.followed(by: checkpoint) ?? checkpoint
            defer { queue.sleeping = false }
            return queue.sleeping
        }
        if wake { wakeWriter() }
    }

    /// Stores `record` in the next transaction (replacing one of the same size still waiting). Records are dropped
    /// after `shutdown()`.
    public func save(_ record: SignedCheckpointRecord) {
        let wake = queue.withLock { queue in
            guard !queue.stopping else { return false }
            queue.signedCheckpoints[record.size] = record
            defer { queue.sleeping = false }
            return queue.sleeping
        }
        if wake { wakeWriter() }
    }

    /// Stores `position` as consumer `name`'s acknowledged position in the next transaction (a later position for
    /// the same name still waiting replaces it; a stored position never goes back), and calls `complete` once that
    /// transaction is durable; at once with `.shuttingDown` after `shutdown()`.
    public func acknowledge(_ position: UInt64, consumer name: String, complete: @escaping EpochCompletion) {
        let (accepted, wake) = queue.withLock { queue in
            guard !queue.stopping else { return (false, false) }
            queue.acknowledgements[name] = max(queue.acknowledgements[name] ?? 0, position)
            queue.acknowledged.append(complete)
            defer { queue.sleeping = false }
            return (true, queue.sleeping)
        }
        guard accepted else { return complete(.failure(.shuttingDown)) }
        if wake { wakeWriter() }
    }

    /// Records `epoch` durably in a transaction of its own, before any append still queued (which the writer then
    /// judges under it: a fence refuses them), and calls `complete` once it is; at once with `.shuttingDown` after
    /// `shutdown()`.
    public func record(_ epoch: ReplicationEpoch, complete: @escaping EpochCompletion) {
        let (accepted, wake) = queue.withLock { queue in
            guard !queue.stopping else { return (false, false) }
            queue.epochs.append((epoch, complete))
            defer { queue.sleeping = false }
            return (true, queue.sleeping)
        }
        guard accepted else { return complete(.failure(.shuttingDown)) }
        if wake { wakeWriter() }
    }

    /// Records `epoch` durably (`record(_:complete:)`) and returns once it is.
    public func record(_ epoch: ReplicationEpoch) async throws(EventLogError) {
        let result = await withCheckedContinuation { continuation in
            record(epoch) { continuation.resume(returning: $0) }
        }
        try result.get()
    }

    /// Requests queued for the next transactions (the writer's backlog), sampled for metrics.
    public var queuedRequests: Int { queue.withLock { $0.pending.requests.count } }

    /// Calls `answer` on the writer thread the next time it looks for work: at once when it is idle, after the
    /// transaction it is in otherwise, never while it is stuck in one. A cheap liveness check (nothing is written).
    /// - Returns: false, and `answer` is never called, once `shutdown()` has begun.
    public func ping(_ answer: @escaping @Sendable () -> Void) -> Bool {
        let (accepted, wake) = queue.withLock { queue in
            guard !queue.stopping else { return (false, false) }
            queue.pings.append(answer)
            defer { queue.sleeping = false }
            return (true, queue.sleeping)
        }
        if wake { wakeWriter() }
        return accepted
    }

    private func wakeWriter() {
        wakeUp.lock()
        wakeUp.signal()
        wakeUp.unlock()
    }

    /// Stops taking appends, commits and answers everything already queued, then ends the thread.
    public func shutdown() async {
        queue.withLock { $0.stopping = true }
        wakeWriter()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                self.finished.lock()
                while !self.queue.withLock({ $0.stopped }) { self.finished.wait() }
                self.finished.unlock()
                continuation.resume()
            }.start()
        }
    }

    private func run() {
        onStart()
        var gathering = Gathering()
        var comeback: Duration?
        var fixedCost = FixedCost()
        while let (batch, sideWrites) = nextBatch(gathering) {
            let requests = batch.requests.count
            let started = ContinuousClock.now
            let stored = commit(batch, sideWrites, started: started)
            let elapsed = ContinuousClock.now - started
            let (leftover, answered) = queue.withLock { queue in
                defer { queue.answered = nil }
                return (queue.pending.requests.count, queue.answered)
            }
            if let returned = answered?.returned {
                // Any return slower than the longest patience counts the same, so one idle spell is soon forgotten.
                let sample = min(returned, Self.maxPatience * 2)
                comeback = comeback.map { ($0 * 3 + sample) / 4 } ?? sample
            }
            if answered?.commit?.events == 1 { fixedCost.record(elapsed) }
            gathering = Gathering(
                expected: requests == 0 ? 0 : requests + leftover,
                elapsed: elapsed,
                comeback: comeback,
                fixedCost: fixedCost.estimate
            )
            for complete in sideWrites.acknowledged { complete(stored) }
            if let commit = answered?.commit { onAnswered(commit) }
        }
        // Everything answered is in the journal; a stop that leaves it all in `data.mdb` has nothing to redo.
        try? log.flush()
        finished.lock()
        queue.withLock { $0.stopped = true }
        finished.broadcast()
        finished.unlock()
    }

    /// Writes `batch` in one transaction and answers each caller with its result: as soon as the log says the events
    /// are durable (`EventLog.commit`'s `answer`, possibly before LMDB commits them), else once it returns. Returns the
    /// transaction's own outcome.
    private func commit(
        _ batch: consuming Batch,
        _ sideWrites: SideWrites,
        started: ContinuousClock.Instant
    ) -> Result<Void, EventLogError> {
        for (epoch, complete) in sideWrites.epochs {
            complete(Result { () throws(EventLogError) in try log.record(epoch) })
        }
        let completions = batch.completions
        guard !batch.requests.isEmpty || sideWrites.writesInTransaction else { return .success(()) }
        let answerEarly: @Sendable ([Result<AppendResult, EventLogError>]) -> Void = { [self] results in
            answer(results, completions, started: started, early: true)
        }
        // The log drops the requests before an early answer, so that a completion keeping its request until its
        // caller's thread has the answer (as the server's does) has it freed on that thread, which allocated it.
        let (results, stored, answered) = log.commit(
            &batch.requests,
            checkpoints: sideWrites.checkpoints,
            signedCheckpoints: sideWrites.signed,
            consumerPositions: sideWrites.acknowledgements,
            answer: answerEarly
        )
        if !answered {
            batch.requests = []
            answer(results, completions, started: started, early: false)
        }
        return stored
    }

    /// Answers a transaction's callers: counts them, notes what it committed and when they were answered (`Answered`)
    /// and tells `onCommit` first, so that what a caller asks next (METRICS, say) includes its append.
    private func answer(
        _ results: [Result<AppendResult, EventLogError>],
        _ completions: [Completion],
        started: ContinuousClock.Instant,
        early: Bool
    ) {
        let events = Self.events(in: results)
        totals.withLock { totals in
            totals.requests += completions.count
            totals.events += events
            if events > 0 { totals.commits += 1 }
            if early { totals.earlyAnswers += 1 }
        }
        let now = ContinuousClock.now
        let commit =
            events > 0
            ? Commit(
                requests: completions.count,
                events: events,
                head: log.head,
                seconds: (now - started) / .seconds(1)
            )
            : nil
        queue.withLock { queue in
            let returned = completions.isEmpty ? nil : queue.comeback.answering(completions.count, at: now)
            queue.answered = Answered(commit: commit, returned: returned)
        }
        if let commit { onCommit(commit) }
        for (complete, result) in zip(completions, results) { complete(result) }
    }

    /// The events `results` wrote (duplicates and refused requests excluded).
    private static func events(in results: [Result<AppendResult, EventLogError>]) -> Int {
        var events = 0
        for case .success(let appended) in results where !appended.duplicate {
            events += Int(appended.last - appended.first + 1)
        }
        return events
    }

    /// What a transaction writes besides events.
    private struct SideWrites {
        var checkpoints: [ProjectionCheckpoint]
        var signed: [SignedCheckpointRecord]
        var acknowledgements: [String: UInt64]
        /// Told the transaction's outcome once it is durable.
        var acknowledged: [EpochCompletion]
        /// Recorded first, each in a transaction of its own.
        var epochs: [(ReplicationEpoch, EpochCompletion)]

        /// Whether anything is written in the transaction besides events.
        var writesInTransaction: Bool { !checkpoints.isEmpty || !signed.isEmpty || !acknowledgements.isEmpty }
        var isEmpty: Bool { !writesInTransaction && epochs.isEmpty }
    }

    /// How many requests the next transaction may expect, and how long it may wait for them.
    struct Gathering {
        /// The last transaction's requests plus those already waiting when it committed: the callers it answered
        /// usually come straight back with their next request.
        var expected = 0
        /// Half the last transaction's time (at most `maxPatience`), when the callers have lately come back within
        /// that and within a transaction's fixed cost: taking them in this transaction then costs less than the fixed
        /// cost of one of their own. Zero when they take longer (many socket clients on a fast disk, say): waiting
        /// would leave the disk idle, while committing the requests already here lets the two cohorts of callers
        /// alternate, each returning while the other's transaction is on the disk.
        var patience = Duration.zero

        init() {}

        /// - Parameters:
        ///   - elapsed: the last transaction's time.
        ///   - comeback: how long answered callers have lately taken to come back (a moving average).
        ///   - fixedCost: a transaction's fixed cost (`FixedCost`), once estimated.
        init(expected: Int, elapsed: Duration, comeback: Duration?, fixedCost: Duration?) {
            self.expected = expected
            let patience = min(elapsed / 2, GroupCommitWriter.maxPatience)
            self.patience = (comeback ?? .zero) <= min(patience, fixedCost ?? patience) ? patience : .zero
        }
    }

    /// The longest a transaction waits for callers it expects.
    static let maxPatience = Duration.milliseconds(2)

    /// Waits for work; returns nil once stopping with nothing left.
    private func nextBatch(_ gathering: Gathering) -> (Batch, SideWrites)? {
        wakeUp.lock()
        defer { wakeUp.unlock() }
        if gathering.expected > 1, gathering.patience > .zero { gather(gathering) }
        while true {
            var pings: [@Sendable () -> Void] = []
            let taken: (Batch, SideWrites)? = queue.withLock { queue in
                swap(&pings, &queue.pings)
                let sideWrites = SideWrites(
                    checkpoints: Array(queue.checkpoints.values),
                    signed: queue.signedCheckpoints.values.sorted { $0.size < $1.size },
                    acknowledgements: queue.acknowledgements,
                    acknowledged: queue.acknowledged,
                    epochs: queue.epochs
                )
                queue.checkpoints.removeAll()
                queue.signedCheckpoints.removeAll()
                queue.acknowledgements.removeAll()
                queue.acknowledged.removeAll()
                queue.epochs.removeAll()
                if queue.pending.requests.isEmpty {
                    guard sideWrites.isEmpty else { return (Batch(), sideWrites) }
                    queue.sleeping = true
                    queue.wakeAtRequests = 1
                    return queue.stopping ? nil : (Batch(), sideWrites)
                }
                queue.sleeping = false
                return (Self.take(from: &queue, maxEvents: maxBatchEvents), sideWrites)
            }
            for answer in pings { answer() }
            guard let taken else { return nil }
            if !taken.0.requests.isEmpty || !taken.1.isEmpty { return taken }
            wakeUp.wait()
        }
    }

    /// The most event bytes taken into one transaction, so that its journal record stays well within what a record
    /// can hold (`JournalRecord.maxPayloadBytes`), whatever the line and batch limits.
    static let maxBatchBytes = 256 << 20

    /// Takes the longest run of queued appends within `maxEvents` events and `maxBatchBytes` bytes (at least one): all
    /// of them, without copying, unless they hold more.
    private static func take(from queue: inout Queue, maxEvents: Int) -> Batch {
        guard queue.pendingEvents > maxEvents || queue.pendingBytes > maxBatchBytes else {
            var batch = Batch()
            swap(&batch, &queue.pending)
            queue.pendingEvents = 0
            queue.pendingBytes = 0
            queue.pending.requests.reserveCapacity(batch.requests.count)
            queue.pending.completions.reserveCapacity(batch.requests.count)
            return batch
        }
        var count = 0
        var events = 0
        var bytes = 0
        for request in queue.pending.requests.indices {
            let size = queue.pending.requests[request].events.count
            let byteCount = queue.pending.requests[request].byteCount
            if count > 0 && (events + size > maxEvents || bytes + byteCount > maxBatchBytes) { break }
            events += size
            bytes += byteCount
            count += 1
        }
        let batch = Batch(
            requests: Array(queue.pending.requests.prefix(count)),
            completions: Array(queue.pending.completions.prefix(count))
        )
        queue.pending.requests.removeFirst(count)
        queue.pending.completions.removeFirst(count)
        queue.pendingEvents -= events
        queue.pendingBytes -= bytes
        return batch
    }

    /// Waits (at most `patience`, with `wakeUp` locked) until `expected` requests or `maxBatchEvents` events are queued.
    /// A single caller never waits: it is the only one expected, and it is already here.
    private func gather(_ gathering: Gathering) {
        let deadline = Date(timeIntervalSinceNow: gathering.patience / .seconds(1))
        while true {
            let enough = queue.withLock { queue in
                if queue.stopping || queue.pending.requests.count >= gathering.expected { return true }
                if queue.pendingEvents >= maxBatchEvents { return true }
                queue.sleeping = true
                queue.wakeAtRequests = gathering.expected
                return false
            }
            if enough || !wakeUp.wait(until: deadline) { return }
        }
    }
}
