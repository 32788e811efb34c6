import CLMDB

/// A position in a database, valid only inside `Transaction.withCursor`.
///
/// Every move returns the entry it lands on, or `nil` when there is none; buffers are valid until the transaction
/// ends.
public struct Cursor {
    /// A key and its value, pointing into the memory map.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let pointer: OpaquePointer

    /// The first entry.
    public mutating func first() throws -> Entry? { try move(MDB_FIRST) }
    /// The last entry.
    public mutating func last() throws -> Entry? { try move(MDB_LAST) }
    /// The entry after the current one.
    public mutating func next() throws -> Entry? { try move(MDB_NEXT) }
    /// The entry before the current one.
    public mutating func previous() throws -> Entry? { try move(MDB_PREV) }

    /// The first entry whose key is greater than or equal to `key`.
    public mutating func seek(atLeast key: UnsafeRawBufferPointer) throws -> Entry? {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val()
        return try finish(mdb_cursor_get(pointer, &keyValue, &dataValue, MDB_SET_RANGE), keyValue, dataValue)
    }

    /// The first entry whose key is greater than or equal to `key` (array convenience).
    public mutating func seek(atLeast key: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { (bytes) in try seek(atLeast: bytes) }
    }

    private mutating func move(_ operation: MDB_cursor_op) throws -> Entry? {
        var keyValue = MDB_val()
        var dataValue = MDB_val()
        return try finish(mdb_cursor_get(pointer, &keyValue, &dataValue, operation), keyValue, dataValue)
    }

    private func finish(_ code: Int32, _ key: MDB_val, _ value: MDB_val) throws -> Entry? {
        if code == MDB_NOTFOUND { return nil }
        try check(code)
        return (
            UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size),
            UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size)
        )
    }
}
