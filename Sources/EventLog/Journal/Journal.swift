import DurableFiles

#if canImport(Glibc)
import Glibc
#endif

/// The write-ahead journal of acknowledged events: sequential segment files in `<data>/journal`, one record
/// (`JournalRecord`) per group commit, made durable by one `fdatasync` before its transaction commits to LMDB and
/// before anyone is answered. LMDB commits without syncing and reaches the disk at durable points
/// (`Environment.completeDurablePoint`); a segment is deleted once a saved durable point covers all its events, and
/// opening the log redoes the records past LMDB's durable point (`EventLog+Journal.swift`).
///
/// Segments are named by their first position (`00000000000000000001.journal`) and begin with a header naming the
/// ledger (`JournalSegment`). They are written with zeros ahead of their records, so that a record's sync writes its own
/// pages and no file size. Used by the writer alone (inside `EventLog.writer`).
struct Journal: ~Copyable {
    /// The segment appended to, with what it holds.
    private struct Current {
        var file: JournalSegment
        /// Where the next record goes.
        var offset: Int
        /// The file's size (allocated on disk).
        var allocated: Int
        /// The last position in the segment (`file.first - 1` while it is empty).
        var last: UInt64
    }

    let directory: String
    let ledger: String
    let mode: UInt32
    private var current: Current?
    /// Earlier segments not yet covered by a durable point: their paths and last positions, oldest first.
    private var older: [(path: String, last: UInt64)]

    /// A segment is closed at the first record boundary past this size.
    static let segmentBytes = 64 << 20
    /// How much a segment is extended ahead of its records at a time.
    static let allocationStep = 1 << 20

    /// An empty journal in `dataDirectory` for ledger `ledger` (whose earlier segments were redone and deleted when
    /// the log opened); its files get `mode`.
    init(dataDirectory: String, ledger: String, mode: UInt32) {
        directory = JournalSegment.directory(in: dataDirectory)
        self.ledger = ledger
        self.mode = mode
        current = nil
        older = []
    }

    /// Where an appended record begins, to undo it (`undo(_:)`).
    struct Mark {
        let offset: Int
        let last: UInt64
    }

    /// Appends `record` (sealed, `JournalRecord`) holding positions `first...last` and syncs it.
    /// - Throws: `FileError`; the journal is then as it was.
    mutating func append(_ record: [UInt8], first: UInt64, last: UInt64) throws(FileError) -> Mark {
        if current.map({ $0.offset >= Self.segmentBytes }) ?? true { try startSegment(at: first) }
        guard var segment = current else { preconditionFailure("a segment was just started") }
        precondition(first == segment.last + 1, "journal records follow each other without gaps")
        let mark = Mark(offset: segment.offset, last: segment.last)
        let end = segment.offset + record.count
        if end > segment.allocated {
            let size = (end / Self.allocationStep + 1) * Self.allocationStep
            try segment.file.allocate(size, from: segment.allocated)
            segment.allocated = size
        }
        do {
            try segment.file.write(record, at: segment.offset)
            try segment.file.sync()
        } catch {
            // A record whose callers hear of a failure must not reach the disk whole later: erase it first.
            Self.erase(segment.file, from: segment.offset, to: end)
            current = segment
            throw error
        }
        segment.offset = end
        segment.last = last
        current = segment
        return mark
    }

    /// Undoes the record appended at `mark` (its transaction did not commit): its bytes are zeroed and synced, so that
    /// the journal ends before it.
    mutating func undo(_ mark: Mark) {
        guard var segment = current else { preconditionFailure("an undone record is in the current segment") }
        Self.erase(segment.file, from: mark.offset, to: segment.offset)
        segment.offset = mark.offset
        segment.last = mark.last
        current = segment
    }

    /// Zeroes a record's bytes and syncs them. The process stops when that fails: a record that cannot be erased
    /// would be redone at the next start, which is then the only consistent way on.
    private static func erase(_ file: JournalSegment, from start: Int, to end: Int) {
        do {
            try file.write([UInt8](repeating: 0, count: end - start), at: start)
            try file.sync()
        } catch {
            fatalError("cannot erase a journal record whose transaction failed (\(error)); restart to redo it")
        }
    }

    /// Deletes the segments whose every event is at or below `durable` (a saved durable point's head); the current
    /// one too, when it is wholly covered (the next record starts a new one).
    mutating func discard(through durable: UInt64) {
        while let oldest = older.first, oldest.last <= durable {
            unlink(oldest.path)
            older.removeFirst()
        }
        if let segment = current, segment.last <= durable, segment.offset > JournalSegment.headerBytes {
            unlink(segment.file.path)
            current = nil
        }
    }

    private mutating func startSegment(at first: UInt64) throws(FileError) {
        if let segment = current { older.append((segment.file.path, segment.last)) }
        current = nil
        let file = try JournalSegment.create(in: directory, first: first, ledger: ledger, mode: mode)
        current = Current(
            file: file,
            offset: JournalSegment.headerBytes,
            allocated: Self.allocationStep,
            last: first - 1
        )
    }
}
