import CLMDB

/// A read or write transaction, valid only inside the closure that received it.
///
/// Byte buffers returned by a transaction point into the memory map and are valid only until the transaction ends.
public struct Transaction {
    let pointer: OpaquePointer
    /// True for a write transaction.
    public let isWritable: Bool

    /// Flags for `put`.
    public struct PutFlags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Fail with `LMDBError.keyExists` instead of replacing an existing value.
        public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
        /// The key is greater than every key in the database: append without searching (fast, sequential keys).
        public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    }

    /// Returns the value stored under `key`, or `nil` when there is none.
    public func get(_ database: Database, key: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val()
        let code = mdb_get(pointer, database.handle, &keyValue, &dataValue)
        if code == MDB_NOTFOUND { return nil }
        try check(code)
        return UnsafeRawBufferPointer(start: dataValue.mv_data, count: dataValue.mv_size)
    }

    /// Returns a copy of the value stored under `key`, or `nil` when there is none.
    public func getBytes(_ database: Database, key: [UInt8]) throws -> [UInt8]? {
        let found = try key.withUnsafeBytes { (keyBytes) in try get(database, key: keyBytes) }
        return found.map { Array($0) }
    }

    /// Stores `value` under `key`.
    public func put(
        _ database: Database,
        key: UnsafeRawBufferPointer,
        value: UnsafeRawBufferPointer,
        flags: PutFlags = []
    ) throws {
        precondition(isWritable, "put needs a write transaction")
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try check(mdb_put(pointer, database.handle, &keyValue, &dataValue, flags.rawValue))
    }

    /// Stores `value` under `key` (array convenience).
    public func put(_ database: Database, key: [UInt8], value: [UInt8], flags: PutFlags = []) throws {
        try key.withUnsafeBytes { (keyBytes) in
            try value.withUnsafeBytes { (valueBytes) in
                try put(database, key: keyBytes, value: valueBytes, flags: flags)
            }
        }
    }

    /// Deletes the value under `key`; returns false when there was none.
    @discardableResult
    public func delete(_ database: Database, key: [UInt8]) throws -> Bool {
        precondition(isWritable, "delete needs a write transaction")
        return try key.withUnsafeBytes { (keyBytes) throws -> Bool in
            var keyValue = MDB_val(
                mv_size: keyBytes.count,
                mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
            )
            let code = mdb_del(pointer, database.handle, &keyValue, nil)
            if code == MDB_NOTFOUND { return false }
            try check(code)
            return true
        }
    }

    /// The number of entries in `database`.
    public func count(_ database: Database) throws -> Int {
        var stat = MDB_stat()
        try check(mdb_stat(pointer, database.handle, &stat))
        return stat.ms_entries
    }

    /// Deletes every entry of `database` (which stays open).
    public func empty(_ database: Database) throws {
        try check(mdb_drop(pointer, database.handle, 0))
    }

    /// Runs `body` with a cursor over `database`; the cursor is closed when `body` returns.
    public func withCursor<Result>(
        _ database: Database,
        _ body: (inout Cursor) throws -> Result
    ) throws -> Result {
        var cursorPointer: OpaquePointer?
        try check(mdb_cursor_open(pointer, database.handle, &cursorPointer))
        guard let cursorPointer else { throw LMDBError.invalid }
        defer { mdb_cursor_close(cursorPointer) }
        var cursor = Cursor(pointer: cursorPointer)
        return try body(&cursor)
    }
}
