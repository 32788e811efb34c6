import CLMDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One LMDB environment (a directory holding `data.mdb` and `lock.mdb`), opened once per process.
///
/// Transactions are synchronous and closure-scoped: a write commits when its closure returns and aborts when it
/// throws. Never `await` inside one. Opened with `MDB_NOTLS`, so read transactions may run on any thread; LMDB
/// allows one write transaction at a time, and callers should funnel writes through a single thread.
public final class Environment: @unchecked Sendable {
    /// Sizes and limits for opening an environment.
    public struct Options: Sendable {
        /// The initial map size in bytes (rounded up by LMDB to a page multiple).
        public var mapSize: Int = 64 << 20
        /// The map never grows beyond this; a write that needs more fails with `LMDBError.mapFull`.
        public var maxMapSize: Int = 1 << 40
        /// The maximum number of concurrent read transactions (reader slots).
        public var maxReaders: UInt32 = 510
        /// The maximum number of named databases.
        public var maxDatabases: UInt32 = 16
        /// Unix permissions for the data and lock files: the owner's alone, so that the daemon's group (which reaches
        /// its socket) cannot read the data.
        public var fileMode: UInt32 = 0o600
        /// Whether a commit syncs the meta page as well as the data (`MDB_NOMETASYNC` when false): without, a system
        /// crash may undo the last commit but leaves the environment consistent. For stores rebuilt from elsewhere.
        public var syncsMeta = true
        /// Where to keep durable points (`DurablePoint`), for an environment whose caller journals what it commits:
        /// when set, commits are made with `MDB_NOSYNC` and reach the disk at durable points; `write` makes one after
        /// each commit, `writeCovered` leaves it to the caller's journal and `completeDurablePoint(_:)`. Before opening
        /// after a crash, the caller returns the data to the last one saved (`returnToDurablePoint`) and redoes its
        /// journal. Nil (every commit synced) unless set.
        public var durablePointFile: String?

        public init() {}
    }

    /// What `info()` reports about the environment.
    public struct Info: Sendable, Equatable {
        /// The current map size in bytes.
        public var mapSize: Int
        /// Bytes of the map in use (last used page + 1, times the page size).
        public var usedBytes: Int
        /// The page size in bytes.
        public var pageSize: Int
        /// Reader slots configured.
        public var maxReaders: Int
        /// Reader slots held now by live readers of any process (`readerSlotsInUse()`), not LMDB's high-water mark.
        public var readersUsed: Int
    }

    let pointer: OpaquePointer
    /// The directory the environment lives in.
    public let path: String
    /// The options it was opened with.
    public let options: Options
    /// How many stale reader slots (left by crashed processes) were cleared when it was opened.
    public let staleReadersClearedAtOpen: Int
    let resizeLock = ReadWriteLock()
    /// The durable points, when the environment keeps them.
    let durablePoints: DurablePoints?

    let currentMapSize: Atomic<Int>
    private let growths = Atomic<Int>(0)
    /// How far past the last page disk blocks are reserved (`reserve(_:)`).
    let reservation = Mutex(Reservation())

    /// Opens (creating if needed) the environment in the existing directory `path`.
    ///
    /// `data.mdb` is checked against its own meta pages first (`DataFileCheck`), so a truncated file is refused
    /// instead of being mapped.
    /// - Throws: `DataFileError` when `data.mdb` is truncated or not an LMDB data file; `LMDBError` when the directory
    ///   is missing, unreadable, or not an LMDB environment.
    public init(path: String, options: Options = Options()) throws {
        _ = try DataFileCheck.check(path + "/data.mdb")
        var envPointer: OpaquePointer?
        try check(mdb_env_create(&envPointer))
        guard let envPointer else { throw LMDBError.invalid }
        do {
            // Durable points pin up to two slots of their own (the saved point's, and the one being saved).
            let (slots, overflow) = options.maxReaders.addingReportingOverflow(Self.pinSlots(options))
            try check(mdb_env_set_maxreaders(envPointer, overflow ? UInt32.max : slots))
            try check(mdb_env_set_maxdbs(envPointer, options.maxDatabases))
            try check(mdb_env_set_mapsize(envPointer, options.mapSize))
            let flags =
                UInt32(MDB_NOTLS) | (options.syncsMeta ? 0 : UInt32(MDB_NOMETASYNC))
                | (options.durablePointFile == nil ? 0 : UInt32(MDB_NOSYNC))
            try check(mdb_env_open(envPointer, path, flags, mdb_mode_t(options.fileMode)))
            var dead: Int32 = 0
            try check(mdb_reader_check(envPointer, &dead))
            staleReadersClearedAtOpen = Int(dead)
        } catch {
            mdb_env_close(envPointer)
            throw error
        }
        self.pointer = envPointer
        self.path = path
        self.options = options
        var info = MDB_envinfo()
        mdb_env_info(envPointer, &info)
        currentMapSize = Atomic(info.me_mapsize)
        durablePoints = options.durablePointFile.map { DurablePoints(file: $0) }
        if durablePoints != nil { try makeDurable() }
    }

    deinit {
        durablePoints?.close()
        mdb_env_close(pointer)
    }

    /// The number of times the map has grown since the environment was opened.
    public var mapGrowthCount: Int { growths.load(ordering: .relaxed) }

    /// Opens (and with `create`, creates) the named database.
    public func openDatabase(_ name: String, create: Bool = true) throws -> Database {
        // Made durable by the opener's next durable point, before anything is written into it.
        try writeSynced { txn in
            var handle: MDB_dbi = 0
            try check(mdb_dbi_open(txn.pointer, name, create ? UInt32(MDB_CREATE) : 0, &handle))
            return Database(handle: handle, name: name)
        }
    }

    /// Runs `body` in a read-only snapshot.
    /// - Important: Do not nest transactions: no `read` or `write` inside `body`.
    /// - Throws: whatever `body` throws, or `LMDBError` (`readersFull` only when every slot is held by a live reader:
    ///   slots left by dead processes are cleared and the transaction tried once more).
    public func read<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        try resizeLock.withShared {
            let txnPointer = try beginRead()
            defer { mdb_txn_abort(txnPointer) }
            return try body(Transaction(pointer: txnPointer, isWritable: false))
        }
    }

    /// Runs `body` in a write transaction and commits (durably: with durable points, it makes one) when it returns;
    /// aborts when it throws.
    ///
    /// When the map is full, the transaction is aborted, the map grows (with no transaction open) up to
    /// `Options.maxMapSize`, and `body` runs again from the start: it must not have side effects outside the
    /// transaction before it returns.
    /// - Throws: whatever `body` throws, or `LMDBError` (`isStorageFull` when the disk or the map limit is reached).
    public func write<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        let result = try writeSynced(body)
        if durablePoints != nil { try makeDurable() }
        return result
    }

    /// Runs `body` in a write transaction synced by LMDB itself (data, then meta page), without making a durable point:
    /// for an opener that makes one itself before anything depends on what it wrote (or whose journal is empty), such
    /// as the writes that set up a log when it opens. Without durable points, `write`.
    public func writeSynced<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        try writeCovered(body, cover: { _ in false }, uncover: {})
    }

    /// Runs `body` in a write transaction as `write` does, but with durable points commits without making one. The
    /// caller makes what it wrote durable in its own journal first, in `cover`, which gets `body`'s result just before
    /// the commit and says whether the journal holds all of it: then the commit is not synced; otherwise LMDB syncs it
    /// as usual (data, then its meta page), so that a power cut leaves the file consistent without a return to the
    /// durable point (the caller then makes one). When the commit fails, `uncover` undoes what `cover` did (before
    /// `body` runs again after the map grows, or the error is thrown); when `cover` throws, the transaction is aborted.
    /// Without durable points, every commit is synced.
    public func writeCovered<Result>(
        _ body: (Transaction) throws -> Result,
        cover: (Result) throws -> Bool,
        uncover: () -> Void
    ) throws -> Result {
        while true {
            do {
                return try writeOnce(body, cover: cover, uncover: uncover)
            } catch let error as LMDBError where error == .mapFull {
                try grow()
            }
        }
    }

    private func writeOnce<Result>(
        _ body: (Transaction) throws -> Result,
        cover: (Result) throws -> Bool,
        uncover: () -> Void
    ) throws -> Result {
        try resizeLock.withShared {
            var txnPointer: OpaquePointer?
            try check(mdb_txn_begin(pointer, nil, 0, &txnPointer))
            guard let txnPointer else { throw LMDBError.invalid }
            let result: Result
            let journaled: Bool
            do {
                result = try body(Transaction(pointer: txnPointer, isWritable: true))
                journaled = try cover(result)
            } catch {
                mdb_txn_abort(txnPointer)
                throw error
            }
            // Only the writing thread changes the flag, between its own transactions' puts and commit.
            let syncs = durablePoints != nil && !journaled
            if syncs { mdb_env_set_flags(pointer, UInt32(MDB_NOSYNC), 0) }
            defer { if syncs { mdb_env_set_flags(pointer, UInt32(MDB_NOSYNC), 1) } }
            do throws(LMDBError) {
                try check(mdb_txn_commit(txnPointer))
            } catch {
                uncover()
                throw error.classified(writing: path)
            }
            return result
        }
    }

    /// The reader slots kept for durable points' pins, beyond `Options.maxReaders`.
    static func pinSlots(_ options: Options) -> UInt32 { options.durablePointFile == nil ? 0 : 2 }

    /// Doubles the map (capped at `maxMapSize`) while no transaction is open in this process.
    func grow() throws {
        try resizeLock.withExclusive {
            let current = currentMapSize.load(ordering: .relaxed)
            guard current < options.maxMapSize else { throw LMDBError.mapFull }
            let target = min(current * 2, options.maxMapSize)
            try check(mdb_env_set_mapsize(pointer, target))
            var info = MDB_envinfo()
            mdb_env_info(pointer, &info)
            currentMapSize.store(info.me_mapsize, ordering: .relaxed)
            growths.add(1, ordering: .relaxed)
        }
    }

    /// Map size, use and reader slots; clears the slots of dead readers first (see `readerSlotsInUse()`).
    public func info() -> Info {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        // Both read the meta pages in the map, which growth unmaps and maps again.
        resizeLock.withShared {
            mdb_env_info(pointer, &info)
            mdb_env_stat(pointer, &stat)
        }
        return Info(
            mapSize: info.me_mapsize,
            usedBytes: (info.me_last_pgno + 1) * Int(stat.ms_psize),
            pageSize: Int(stat.ms_psize),
            maxReaders: Int(info.me_maxreaders) - Int(Self.pinSlots(options)),
            readersUsed: readerSlotsInUse()
        )
    }

    /// The permission bits of this environment's `data.mdb` (`Options.fileMode` less the umask it was created under).
    public var dataFileMode: mode_t {
        var info = stat()
        guard stat(self.path + "/data.mdb", &info) == 0 else { return mode_t(options.fileMode) }
        return info.st_mode & 0o777
    }

    /// Writes a consistent copy of the environment into the existing, empty directory `path` while it stays in
    /// use; `compact` omits free pages (`MDB_CP_COMPACT`). The copy's `data.mdb` gets `dataFileMode`.
    /// - Throws: `LMDBError` (`isStorageFull` when the copy's volume is full).
    public func copy(to path: String, compact: Bool = true) throws {
        // The copy runs in a read transaction of its own, which must not see the map grow.
        try resizeLock.withShared {
            do throws(LMDBError) {
                try check(mdb_env_copy2(pointer, path, compact ? UInt32(MDB_CP_COMPACT) : 0))
            } catch {
                throw error.classified(writing: path)
            }
        }
        // LMDB creates the copy with mode 0666 less the umask: give it the data file's own mode.
        guard chmod(path + "/data.mdb", dataFileMode) == 0 else { throw LMDBError(rawValue: errno) }
    }
}
