import CLMDB
import Synchronization

extension Environment {
    /// A read-only snapshot kept open across suspension points: an answer streamed to a slow client reads every part
    /// from the same state while the writer goes on. Only an environment whose map never grows can give one (a map
    /// grows only while no transaction is open, so a snapshot held for long would stop its writer).
    ///
    /// Sendable by hand: its transaction is used only under its lock (`MDB_NOTLS` lets it move between threads).
    public final class Snapshot: @unchecked Sendable {
        private let lock = Mutex(())
        private var pointer: OpaquePointer?

        fileprivate init(_ pointer: OpaquePointer) {
            self.pointer = pointer
        }

        deinit {
            close()
        }

        /// Runs `body` in the snapshot, one caller at a time.
        /// - Throws: whatever `body` throws, or `LMDBError.invalid` once the snapshot is closed.
        public func read<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
            try lock.withLock { _ in
                guard let pointer else { throw LMDBError.invalid }
                return try body(Transaction(pointer: pointer, isWritable: false))
            }
        }

        /// Ends the snapshot, so the writer may reuse the pages it held; later reads throw.
        public func close() {
            lock.withLock { _ in
                if let pointer { mdb_txn_abort(pointer) }
                pointer = nil
            }
        }
    }

    /// Begins a snapshot (see `Snapshot`).
    /// - Precondition: the map never grows: it was opened at its largest size.
    /// - Throws: `LMDBError` (`readersFull` when every reader slot is held by a live reader).
    public func snapshot() throws -> Snapshot {
        precondition(
            options.mapSize >= options.maxMapSize,
            "a snapshot held across suspension needs a map that never grows"
        )
        return Snapshot(try beginRead())
    }
}
