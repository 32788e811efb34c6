import Dispatch
import DurableFiles
import LMDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// When durable points are taken while events come, and which is saved.
struct DurablePointSchedule: Sendable {
    /// A durable point is being synced and saved (on `EventLog.durableQueue`).
    var inFlight = false
    /// When the last one was taken.
    var taken = ContinuousClock.now
    /// The head of the last point saved: journal segments up to it can go.
    var durableHead: UInt64 = 0
    /// Why the last point could not be saved, while it could not.
    var failure: String?

    /// How long events wait in the journal alone at most, while they come.
    static let interval = Duration.seconds(1)
}

extension EventLog {
    /// The file beside `data.mdb` holding its last durable point (`DurablePoint` in the LMDB module).
    static let durablePointFileName = "durable-point"

    /// After a commit (on the writer thread, under `writer`): makes everything durable now when `now` (the commit
    /// stored what must be durable when answered, and its journal record does not hold: consumers' positions, signed
    /// checkpoints), or else takes a durable point to save in the background once `DurablePointSchedule.interval` has
    /// passed since the last one; then deletes the journal segments a saved point covers.
    func reachDurablePoint(now: Bool, head: UInt64) throws(EventLogError) {
        if now {
            do {
                try environment.makeDurable()
            } catch {
                throw .from(error)
            }
            schedule.withLock { $0.durableHead = max($0.durableHead, head) }
        } else {
            let due = schedule.withLock { schedule in
                guard !schedule.inFlight, ContinuousClock.now - schedule.taken >= DurablePointSchedule.interval
                else { return false }
                schedule.inFlight = true
                schedule.taken = .now
                return true
            }
            if due { takeDurablePoint(head: head) }
        }
        let durable = schedule.withLock { $0.durableHead }
        journal.withLock { $0.discard(through: durable) }
    }

    private func takeDurablePoint(head: UInt64) {
        let pending: Environment.PendingDurablePoint
        do {
            pending = try environment.beginDurablePoint()
        } catch {
            schedule.withLock {
                $0.inFlight = false
                $0.failure = "\(error)"
            }
            return
        }
        durableQueue.async { [self] in
            do {
                try environment.completeDurablePoint(pending)
                schedule.withLock { schedule in
                    schedule.durableHead = max(schedule.durableHead, head)
                    schedule.inFlight = false
                    schedule.failure = nil
                }
            } catch {
                schedule.withLock {
                    $0.inFlight = false
                    $0.failure = "\(error)"
                }
            }
        }
    }

    /// Makes everything committed durable in `data.mdb` and empties the journal (when the log closes, so that the
    /// next start has nothing to redo).
    public func flush() throws(EventLogError) {
        try writer.withLock { (state) throws(EventLogError) in
            try reachDurablePoint(now: true, head: state.tree.size)
        }
    }

    /// The head of the last durable point saved: `data.mdb` holds the log up to it without the journal.
    public var durableThrough: UInt64 { schedule.withLock { $0.durableHead } }

    /// Why the last durable point could not be saved, while events wait in the journal for one (nil when well).
    public var durablePointFailure: String? { schedule.withLock { $0.failure } }

    /// Returns `data.mdb` to its durable point saved in `file` (`Environment.returnToDurablePoint`). Starting a new
    /// ledger where there is no data, the point and the journal (of data gone) are deleted instead.
    static func returnToDurablePoint(file: String, directory: String, startNew: Bool) throws(EventLogError) {
        let data = "\(directory)/data.mdb"
        if startNew, case .absent? = try? DataFileCheck.check(data) {
            return discardJournal(file: file, directory: directory)
        }
        if startNew, case .empty? = try? DataFileCheck.check(data) {
            return discardJournal(file: file, directory: directory)
        }
        do {
            try Environment.returnToDurablePoint(file: file, directory: directory)
        } catch {
            throw .damaged(error.description)
        }
    }

    private static func discardJournal(file: String, directory: String) {
        let segments = (try? JournalSegment.list(in: JournalSegment.directory(in: directory))) ?? []
        for segment in segments { unlink(segment.path) }
        if let first = segments.first { try? FileBytes.syncDirectory(of: first.path) }
        unlink(file)
        try? FileBytes.syncDirectory(of: file)
    }

    /// Redoes the journal records past the head of a log just opened (returned to its durable point), in one durable
    /// transaction, then deletes the journal's segments.
    /// - Returns: the writer state after them, and how many events were redone.
    /// - Throws: `EventLogError.damaged` when the journal belongs to another ledger, leaves a gap after the head, or
    ///   holds a record its log refuses.
    static func redoJournal(
        in directory: String,
        state: WriterState,
        environment: Environment,
        databases: Databases
    ) throws -> (WriterState, Int) {
        let journalDirectory = JournalSegment.directory(in: directory)
        let segments = try JournalSegment.list(in: journalDirectory)
        guard !segments.isEmpty else { return (state, 0) }
        let ledger = try environment.read { txn in
            try txn.getBytes(databases.meta, key: ledgerKey).map { String(decoding: $0, as: UTF8.self) }
        }
        guard let ledger else {
            throw EventLogError.damaged("\(journalDirectory) holds a journal, but the data holds no ledger")
        }
        let records = try JournalReader.records(in: segments, ledger: ledger, after: state.tree.size)
        var state = state
        var events = 0
        if let last = records.last {
            let requests = try records.flatMap { try $0.requests() }
            state = try environment.write { txn in
                var scratch = [UInt8]()
                let (results, outcome) = try commitBody(
                    requests,
                    state: state,
                    databases: databases,
                    txn: txn,
                    record: &scratch,
                    replaying: true
                )
                for case .failure(let error) in results {
                    throw EventLogError.damaged("\(journalDirectory) holds an event the log refuses: \(error)")
                }
                var redone = state
                outcome.apply(to: &redone)
                if redone.importedThrough != last.importedThrough {
                    redone.importedThrough = last.importedThrough
                    try txn.put(databases.meta, key: importedKey, value: BigEndian.bytes(last.importedThrough))
                }
                return redone
            }
            events = Int(state.tree.size) - Int(records[0].first) + 1
        }
        for segment in segments { unlink(segment.path) }
        try FileBytes.syncDirectory(of: segments[0].path)
        return (state, events)
    }
}
