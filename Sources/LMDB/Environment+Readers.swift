import CLMDB

/// Reader slots: the lock file's table of read transactions, shared by every process that opens the environment.
///
/// A process that dies inside a read transaction (`kill -9`, a crash) leaves its slot taken, and the snapshot it
/// held keeps freed pages from being reused, until someone calls `mdb_reader_check`. The environment does so when it
/// opens, when a read finds every slot taken, and whenever `info()` or `readerSlotsInUse()` counts them.
extension Environment {
    /// Clears reader slots left by processes that died inside a read transaction; returns how many.
    @discardableResult
    public func clearStaleReaders() throws -> Int {
        var dead: Int32 = 0
        try check(mdb_reader_check(pointer, &dead))
        return Int(dead)
    }

    /// The reader slots held now, by this process or any other with the environment open, after clearing the slots
    /// of dead processes, less the slot this environment's durable point pins (`Environment+DurablePoints.swift`).
    /// Unlike `MDB_envinfo.me_numreaders` (the most slots ever used), this goes down again.
    public func readerSlotsInUse() -> Int {
        _ = try? clearStaleReaders()
        var count = 0
        withUnsafeMutablePointer(to: &count) { counter in
            // One call per held slot ("<pid> <thread> <txnid>"), after a header line; or one "(no active readers)".
            _ = mdb_reader_list(
                pointer,
                { message, context in
                    guard let message, let context else { return 0 }
                    let text = String(cString: message).drop { $0 == " " }
                    if text.first?.isNumber == true { context.assumingMemoryBound(to: Int.self).pointee += 1 }
                    return 0
                },
                counter
            )
        }
        return count - (durablePoints?.pinned.load(ordering: .relaxed) ?? 0)
    }

    /// Begins a read-only transaction; when every slot is taken, clears those of dead processes and tries once more.
    func beginRead() throws(LMDBError) -> OpaquePointer {
        var txnPointer: OpaquePointer?
        var code = mdb_txn_begin(pointer, nil, UInt32(MDB_RDONLY), &txnPointer)
        if code == MDB_READERS_FULL, (try? clearStaleReaders()) ?? 0 > 0 {
            code = mdb_txn_begin(pointer, nil, UInt32(MDB_RDONLY), &txnPointer)
        }
        try check(code)
        guard let txnPointer else { throw .invalid }
        return txnPointer
    }
}
