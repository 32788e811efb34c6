import LMDB
import LedgerProofs
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

        public init(directory: String, environment: Environment.Options = Environment.Options()) {
            self.directory = directory
            self.environment = environment
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
    private let lock: DirectoryLock
    private let committed: Mutex<Head>

    /// The number of leaf hashes stored per value in the `leaves` database.
    static let leavesPerChunk: UInt64 = 256
    /// The on-disk format this code reads and writes.
    static let formatVersion: UInt64 = 1

    /// Opens the log in `configuration.directory`, creating the directory and databases when new.
    /// - Throws: `EventLogError.storage` when the directory is unusable or holds something else.
    public init(configuration: Configuration) throws(EventLogError) {
        if mkdir(configuration.directory, 0o750) != 0 && errno != EEXIST {
            throw .storage("cannot create \(configuration.directory): \(String(cString: strerror(errno)))")
        }
        lock = try DirectoryLock(directory: configuration.directory)
        do {
            environment = try Environment(path: configuration.directory, options: configuration.environment)
            databases = try Databases(environment: environment)
            let state = try Self.loadState(environment: environment, databases: databases)
            writer = Mutex(state)
            committed = Mutex(Head(position: state.tree.size, root: state.tree.root))
        } catch let error as EventLogError {
            throw error
        } catch let error as LMDBError {
            throw .storage("cannot open the ledger in \(configuration.directory): \(error)")
        } catch {
            throw .storage("cannot open the ledger in \(configuration.directory): \(error)")
        }
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
            guard
                let position = try id.bytes.withUnsafeBytes({ try txn.get(databases.ids, key: $0) })
                    .flatMap(BigEndian.uint64)
            else { return nil }
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
                var result = [RecordedEvent]()
                var bytes = 0
                var entry = try cursor.seek(atLeast: prefix + BigEndian.bytes(max(version, 1)))
                while let (key, value) = entry, result.count < limit,
                    key.count == prefix.count + 8, key.starts(with: prefix), let position = BigEndian.uint64(value)
                {
                    guard let event = try Self.event(at: position, in: txn, databases: databases) else {
                        throw EventLogError.integrity(position: position, message: "stream index points at no event")
                    }
                    bytes += event.bytes.count
                    guard bytes <= maxBytes || result.isEmpty else { break }
                    result.append(event)
                    entry = try cursor.next()
                }
                return result
            }
        }
    }

    static func event(at position: UInt64, in txn: Transaction, databases: Databases) throws -> RecordedEvent? {
        try BigEndian.bytes(position).withUnsafeBytes { key in
            try txn.get(databases.events, key: key).map { RecordedEvent(position: position, bytes: Array($0)) }
        }
    }

    /// Runs a read transaction, mapping storage failures to `EventLogError`.
    func reading<Result>(_ body: (Transaction) throws -> Result) throws(EventLogError) -> Result {
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
