import Dispatch
import LMDB
import LedgerProofs
import LedgerWire
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The append-only event log: one LMDB environment holding every event once as its envelope, the stream and id
/// indexes, the leaf hashes and the Merkle tree state, all written in the same transaction.
///
/// Reads may come from any thread. Appends go through `append(_:)`, which serialises callers; in the daemon a
/// single `GroupCommitWriter` thread calls it with many requests at once.
public final class EventLog: Sendable {
    /// Where and how to open the log.
    public struct Configuration: Sendable {
        /// The data directory (created if missing).
        public var directory: String
        /// LMDB sizes and limits.
        public var environment: Environment.Options
        /// Take `data.mdb` as it is even when it does not match the identity record (a new, empty ledger when it is
        /// missing or empty), and write a new record: for an operator who means it, never by default.
        public var startNewLedger: Bool

        public init(
            directory: String,
            environment: Environment.Options = Environment.Options(),
            startNewLedger: Bool = false
        ) {
            self.directory = directory
            self.environment = environment
            self.startNewLedger = startNewLedger
        }
    }

    /// The committed head, as readers see it.
    public struct Head: Sendable, Hashable {
        /// The last position written (0 when empty); also the Merkle tree size.
        public var position: UInt64
        /// The Merkle root over positions 1...position.
        public var root: MerkleHash
    }

    /// The underlying environment (for status and backups).
    public let environment: Environment
    let databases: Databases
    let writer: Mutex<WriterState>
    /// The write-ahead journal; taken inside `writer`.
    let journal: Mutex<Journal>
    /// Durable points taken while events come (`EventLog+Journal.swift`).
    let schedule = Mutex(DurablePointSchedule())
    /// Where durable points are synced and saved, off the writer thread.
    let durableQueue = DispatchQueue(label: "ledger-durable-point")
    /// How many journaled events opening redid (they were acknowledged after the last durable point).
    public let redoneAtOpen: Int
    private let lock: DirectoryLock
    private let committed: Mutex<Head>
    /// Makes reads wait for events answered before LMDB committed them.
    let barrier: ApplyBarrier
    /// The replication epoch as last recorded, for readers (the writer's copy is in `WriterState`).
    let recordedEpoch: Mutex<ReplicationEpoch?>
    /// The data directory.
    let directory: String
    /// The permissions of the data files, which the identity record gets too.
    let fileMode: UInt32
    /// The identity record as last written.
    let identity: Mutex<LedgerIdentity>
    /// How opening related the data to its identity record (for the daemon's log).
    public let identityStart: IdentityStart

    /// The number of leaf hashes stored per value in the `leaves` database.
    static let leavesPerChunk: UInt64 = 256
    /// The on-disk format this code reads and writes.
    static let formatVersion: UInt64 = 1

    /// Opens the log in `configuration.directory`, creating the directory and databases when new, and checks the data
    /// against the identity record beside it (`LedgerIdentity`).
    ///
    /// A truncated data file, and one that the record says should be there but is missing or empty, are refused
    /// before anything is created; a data file of another ledger, or one whose head is below the record's or whose
    /// root at the record's head differs, is refused once opened. Data without a record is adopted: the record is
    /// written.
    /// - Throws: `EventLogError.damaged` when the data or the record is refused (unless
    ///   `configuration.startNewLedger`), `.locked` when another process holds the directory, `.storage` when it is
    ///   unusable or holds something else.
    public init(configuration: Configuration) throws(EventLogError) {
        let directory = configuration.directory
        let recorded = try LedgerIdentity.read(in: directory)
        let pointFile = "\(directory)/\(Self.durablePointFileName)"
        // A data file left past its durable point (the journal holds what came after) is returned to it first: its
        // newer meta page may name pages that never reached the disk, which the check below would take for truncation.
        let journaled = !((try? JournalSegment.list(in: JournalSegment.directory(in: directory))) ?? []).isEmpty
        let lockedEarly = journaled && access(pointFile, F_OK) == 0 ? try DirectoryLock(directory: directory) : nil
        if lockedEarly != nil {
            try Self.returnToDurablePoint(file: pointFile, directory: directory, startNew: configuration.startNewLedger)
        }
        try Self.checkBeforeOpening(
            directory: directory,
            recorded: recorded,
            startNew: configuration.startNewLedger
        )
        // The owner's alone: the daemon's group reaches the socket, never the data.
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw .storage("cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        if let lockedEarly {
            lock = lockedEarly
        } else {
            lock = try DirectoryLock(directory: directory)
        }
        do {
            var options = configuration.environment
            options.durablePointFile = pointFile
            environment = try Environment(path: directory, options: options)
            databases = try Databases(environment: environment)
            let (state, redone) = try Self.redoJournal(
                in: directory,
                state: try Self.loadState(environment: environment, databases: databases),
                environment: environment,
                databases: databases
            )
            redoneAtOpen = redone
            writer = Mutex(state)
            let head = Head(position: state.tree.size, root: state.tree.root)
            committed = Mutex(head)
            barrier = ApplyBarrier(head: head.position)
            recordedEpoch = Mutex(state.epoch)
            let (identity, start) = try Self.settleIdentity(
                recorded: recorded,
                head: head,
                configuration: configuration,
                environment: environment,
                databases: databases
            )
            self.identity = Mutex(identity)
            identityStart = start
            // One durable point for what opening wrote (databases, format, subtrees, ledger id), each synced by LMDB.
            try environment.makeDurable()
            journal = Mutex(
                Journal(dataDirectory: directory, ledger: identity.ledger, mode: configuration.environment.fileMode)
            )
        } catch let error as EventLogError {
            throw error
        } catch let error as DataFileError {
            throw .damaged(error.description)
        } catch let error as LMDBError {
            throw .storage("cannot open the ledger in \(directory): \(error)")
        } catch {
            throw .storage("cannot open the ledger in \(directory): \(error)")
        }
        self.directory = directory
        fileMode = configuration.environment.fileMode
        schedule.withLock { $0.durableHead = head.position }
    }

    /// The committed head position and Merkle root.
    public var head: Head { committed.withLock { $0 } }

    func publish(_ head: Head) {
        committed.withLock { $0 = head }
    }

    /// The current version of `stream` (0 when it has no events).
    public func version(of stream: String) throws(EventLogError) -> UInt64 {
        try reading { txn in try databases.version(of: stream, in: txn) }
    }

    /// The event at `position`, or nil.
    public func event(at position: UInt64) throws(EventLogError) -> RecordedEvent? {
        try reading { txn in try Self.event(at: position, in: txn, databases: databases) }
    }

    /// The event with `id`, or nil.
    public func event(id: EventID) throws(EventLogError) -> RecordedEvent? {
        try reading { txn in
            guard let position = try databases.position(of: id, in: txn) else { return nil }
            return try Self.event(at: position, in: txn, databases: databases)
        }
    }

    /// Up to `limit` events of the whole log, from `position` on, and no more than `maxBytes` of stored bytes
    /// (but always the first event, however large).
    public func readAll(
        from position: UInt64 = 1,
        limit: Int,
        maxBytes: Int = .max
    ) throws(EventLogError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try reading { txn in
            try txn.withCursor(databases.events) { cursor in
                var result = [RecordedEvent]()
                result.reserveCapacity(min(limit, 4096))
                var bytes = 0
                var entry = try cursor.seek(atLeast: BigEndian.bytes(max(position, 1)))
                while let (key, value) = entry, result.count < limit, let at = BigEndian.uint64(key) {
                    bytes += value.count
                    guard bytes <= maxBytes || result.isEmpty else { break }
                    result.append(RecordedEvent(position: at, bytes: Array(value)))
                    entry = try cursor.next()
                }
                return result
            }
        }
    }

    /// Up to `limit` events of `stream`, from `version` on, and no more than `maxBytes` of stored bytes (but always
    /// the first event, however large).
    ///
    /// Each event's stored envelope must name `stream` and the version its index entry is for, and versions must
    /// follow one another: an index entry that points at another event is an integrity failure, never served.
    /// - Throws: `EventLogError.integrity` naming the position an index entry points at when the event there is
    ///   missing or is not that stream's version, or naming the stream and version when a version is skipped.
    public func read(
        stream: String,
        from version: UInt64 = 1,
        limit: Int,
        maxBytes: Int = .max
    ) throws(EventLogError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        let prefix = Array(stream.utf8) + [0]
        return try reading { txn in
            try txn.withCursor(databases.streams) { cursor in
                let first = max(version, 1)
                return try Self.walk(
                    stream: stream,
                    from: try cursor.seek(atLeast: prefix + BigEndian.bytes(first)),
                    expecting: first,
                    limit: limit,
                    maxBytes: maxBytes,
                    in: txn,
                    databases: databases,
                    // A request may start at any version; a wrapped one matches no later entry.
                    following: { $0 &+ 1 },
                    move: { try cursor.next() }
                )
            }
        }
    }

    /// The events of `stream`'s index entries from `entry` on, each step taken by `move`: each must be the version
    /// `expecting` (then `following` the one before; nil when none is to follow), stored as that version of the
    /// stream; up to `limit` events and `maxBytes` of stored bytes (but always the first).
    /// - Throws: `EventLogError.integrity` naming the stream and version when one is skipped, or where an entry
    ///   points (`indexedEvent`).
    static func walk(
        stream: String,
        from entry: Cursor.Entry?,
        expecting first: UInt64?,
        limit: Int,
        maxBytes: Int,
        in txn: Transaction,
        databases: Databases,
        following: (UInt64) -> UInt64?,
        move: () throws -> Cursor.Entry?
    ) throws -> [RecordedEvent] {
        let streamName = Array(stream.utf8)
        let prefix = streamName + [0]
        var (entry, expected) = (entry, first)
        var result = [RecordedEvent]()
        var bytes = 0
        while let (key, value) = entry, result.count < limit,
            key.count == prefix.count + 8, key.starts(with: prefix),
            let indexed = BigEndian.uint64(UnsafeRawBufferPointer(rebasing: key[prefix.count...]))
        {
            if let expected, indexed != expected {
                throw EventLogError.integrity(
                    position: BigEndian.uint64(value) ?? 0,
                    message: "the stream index of \(stream) skips from version \(expected) to \(indexed)"
                )
            }
            let event = try indexedEvent(value, version: indexed, of: streamName, in: txn, databases: databases)
            bytes += event.bytes.count
            guard bytes <= maxBytes || result.isEmpty else { break }
            result.append(event)
            guard let next = following(indexed) else { break }
            expected = next
            entry = try move()
        }
        return result
    }

    /// Checks that `event`'s envelope is stored at its own position as version `version` of the stream named by the
    /// UTF-8 bytes `stream`, reading only the envelope's head (`EnvelopeHead`).
    /// - Throws: `EventLogError.integrity` at the event's position, naming what is stored there instead.
    static func check(_ event: RecordedEvent, isVersion version: UInt64, of stream: [UInt8]) throws(EventLogError) {
        let mismatch: String? = event.bytes.withUnsafeBufferPointer { bytes in
            guard let head = EnvelopeHead(bytes) else { return "an envelope without its position, stream or version" }
            guard
                head.position != event.position || head.version != version || !bytes[head.stream].elementsEqual(stream)
            else { return nil }
            let found = "stream \(String(decoding: bytes[head.stream], as: UTF8.self)) version \(head.version)"
            return head.position == event.position ? found : "\(found) stored as position \(head.position)"
        }
        guard let mismatch else { return }
        throw .integrity(
            position: event.position,
            message:
                "the stream index entry for \(String(decoding: stream, as: UTF8.self)) version \(version) points at "
                + mismatch
        )
    }

    /// The event a stream index entry (whose value is `value`) points at, checked to be version `version` of the
    /// stream named by the UTF-8 bytes `stream`.
    /// - Throws: `EventLogError.integrity` when it points at no event, or at another (`check`).
    static func indexedEvent(
        _ value: UnsafeRawBufferPointer,
        version: UInt64,
        of stream: [UInt8],
        in txn: Transaction,
        databases: Databases
    ) throws -> RecordedEvent {
        guard let position = BigEndian.uint64(value),
            let event = try Self.event(at: position, in: txn, databases: databases)
        else {
            throw EventLogError.integrity(
                position: BigEndian.uint64(value) ?? 0,
                message:
                    "the stream index entry for \(String(decoding: stream, as: UTF8.self)) version \(version) points at "
                    + "no event"
            )
        }
        try check(event, isVersion: version, of: stream)
        return event
    }

    static func event(at position: UInt64, in txn: Transaction, databases: Databases) throws -> RecordedEvent? {
        try BigEndian.bytes(position).withUnsafeBytes { key in
            try txn.get(databases.events, key: key).map { RecordedEvent(position: position, bytes: Array($0)) }
        }
    }

    /// Runs a read transaction that sees every event answered so far (`ApplyBarrier`), mapping storage failures to
    /// `EventLogError`.
    func reading<Result>(_ body: (Transaction) throws -> Result) throws(EventLogError) -> Result {
        barrier.wait()
        do {
            return try environment.read(body)
        } catch let error as EventLogError {
            throw error
        } catch let error as LMDBError {
            throw .from(error)
        } catch {
            throw .storage("\(error)")
        }
    }
}
