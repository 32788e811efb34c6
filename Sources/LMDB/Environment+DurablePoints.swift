import CLMDB
import DurableFiles
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension Environment {
    /// A durable point taken on the writing thread right after a commit, to be made durable and saved later, on any
    /// thread (`completeDurablePoint(_:)`), while the writer goes on. Its reader pin already keeps the transaction's
    /// pages from being reused.
    public struct PendingDurablePoint: @unchecked Sendable {
        let point: DurablePoint
        let pin: OpaquePointer
        /// The transaction the point is at.
        public var transaction: UInt64 { point.transaction }
    }

    /// Takes a durable point at the last committed transaction: its meta pages, read back, and a reader pinned at it.
    /// Call it on the writing thread between write transactions, so that no commit comes between the two.
    /// - Precondition: the environment keeps durable points (`Options.durablePointFile`).
    /// - Throws: `LMDBError` when no reader slot is free or the meta pages cannot be read.
    public func beginDurablePoint() throws(LMDBError) -> PendingDurablePoint {
        guard let points = durablePoints else { preconditionFailure("durable points need Options.durablePointFile") }
        return try resizeLock.withShared { () throws(LMDBError) in
            var info = MDB_envinfo()
            mdb_env_info(pointer, &info)
            let pin = try beginRead()
            points.pinned.add(1, ordering: .relaxed)
            do throws(LMDBError) {
                let pages = try points.readMetaPages(environment: pointer)
                return PendingDurablePoint(
                    point: DurablePoint(transaction: UInt64(info.me_last_txnid), metaPages: pages),
                    pin: pin
                )
            } catch {
                points.release(pin)
                throw error
            }
        }
    }

    /// Syncs `data.mdb` and saves `pending` as the durable point opening returns to, then releases the previous
    /// point's reader pin. A point older than the one saved is only released. Any thread; one at a time.
    /// - Throws: `LMDBError` when the sync or the save fails (the previous point then stays).
    public func completeDurablePoint(_ pending: PendingDurablePoint) throws(LMDBError) {
        guard let points = durablePoints else { preconditionFailure("durable points need Options.durablePointFile") }
        try points.complete(pending) { () throws(LMDBError) in
            try resizeLock.withShared { () throws(LMDBError) in try check(mdb_env_sync(pointer, 1)) }
        }
    }

    /// Makes everything committed durable now and saves it as the durable point (on the writing thread).
    public func makeDurable() throws(LMDBError) {
        try completeDurablePoint(beginDurablePoint())
    }

    /// Writes the durable point saved in `file` back into the `data.mdb` of `directory` when its meta pages differ,
    /// before the environment is opened after a crash: when no other process has it open (see `DurablePoint`). Call
    /// it only while holding the directory for yourself, and only when commits since the point may be missing from
    /// the disk (the caller's journal holds records): a file written since by another opener, durably, would lose
    /// those writes.
    /// - Returns: whether the data file was returned to it.
    /// - Throws: `DataFileError` when the saved point is damaged or of another file, or when the machine restarted
    ///   since it was saved and another process has the environment open.
    @discardableResult
    public static func returnToDurablePoint(file: String, directory: String) throws(DataFileError) -> Bool {
        try DurablePoints.restore(file: file, dataFile: directory + "/data.mdb", lockFile: directory + "/lock.mdb")
    }
}

/// The durable points of one environment: the one saved last, and the reader pinned at it.
final class DurablePoints: @unchecked Sendable {
    /// Where the point is saved.
    let file: String
    private struct Saved {
        var transaction: UInt64 = 0
        var pin: OpaquePointer?
    }
    private let saved = Mutex(Saved())
    /// The reader slots its pins hold (the saved point's, and one being saved).
    let pinned = Atomic(0)

    init(file: String) {
        self.file = file
    }

    /// Returns `dataFile` to the point saved in `file`, if any, before the environment is opened (see `DurablePoint`
    /// for when that is needed, and safe).
    /// - Returns: whether its meta pages were written back (it was not closed at its last durable point).
    static func restore(file: String, dataFile: String, lockFile: String) throws(DataFileError) -> Bool {
        guard let point = try DurablePoint.read(file) else { return false }
        guard access(dataFile, F_OK) == 0 else {
            throw .notLMDB(path: dataFile, reason: "it is missing, though a durable point of it is saved in \(file)")
        }
        guard let alone = DurablePoint.takeAlone(lockFile: lockFile) else {
            // The machine has run on since the point was saved: every write since is in its page cache.
            guard point.boot != DurablePoint.currentBoot || point.boot.isEmpty else { return false }
            throw .notLMDB(
                path: dataFile,
                reason: "the machine restarted since its last durable point, and another process has the "
                    + "environment open (mdb_stat, mdb_dump?): stop it, so that the data can be returned to that point"
            )
        }
        // Held until the meta pages are back, so that no reader opens the environment in between.
        defer { if alone >= 0 { Glibc.close(alone) } }
        return try point.restore(into: dataFile)
    }

    /// Pages 0 and 1 of the data file as the page cache holds them now.
    func readMetaPages(environment: OpaquePointer) throws(LMDBError) -> [UInt8] {
        var descriptor: Int32 = -1
        try check(mdb_env_get_fd(environment, &descriptor))
        var stat = MDB_stat()
        try check(mdb_env_stat(environment, &stat))
        var bytes = [UInt8](repeating: 0, count: 2 * Int(stat.ms_psize))
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard read == bytes.count else { throw LMDBError(rawValue: read < 0 ? errno : EIO) }
        return bytes
    }

    func complete(
        _ pending: Environment.PendingDurablePoint,
        sync: () throws(LMDBError) -> Void
    ) throws(LMDBError) {
        try saved.withLock { (saved) throws(LMDBError) in
            guard pending.transaction > saved.transaction || saved.pin == nil else {
                release(pending.pin)
                return
            }
            do throws(LMDBError) {
                try sync()
                do throws(FileError) {
                    try pending.point.save(to: file)
                } catch {
                    throw LMDBError(rawValue: error.code)
                }
            } catch {
                release(pending.pin)
                throw error
            }
            if let old = saved.pin { release(old) }
            saved = Saved(transaction: pending.transaction, pin: pending.pin)
        }
    }

    /// Ends a pin's read transaction.
    func release(_ pin: OpaquePointer) {
        mdb_txn_abort(pin)
        pinned.subtract(1, ordering: .relaxed)
    }

    /// Releases the pin (when the environment closes).
    func close() {
        saved.withLock { saved in
            if let pin = saved.pin { release(pin) }
            saved.pin = nil
        }
    }
}
