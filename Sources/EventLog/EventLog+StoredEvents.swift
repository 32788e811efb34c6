extension EventLog {
    /// Calls `body` with each of up to `limit` events of the log from `position` on, in order, read in place in one
    /// read transaction (no copy of the events is made).
    /// - Throws: what `body` throws, or `EventLogError` when the log cannot be read.
    public func forEachStoredEvent(
        from position: UInt64,
        limit: Int,
        _ body: (StoredEventBytes) throws(EventLogError) -> Void
    ) throws(EventLogError) {
        guard limit > 0 else { return }
        try reading { txn in
            // The values stay where LMDB maps them until the transaction ends.
            try txn.withCursor(databases.events) { cursor in
                var entry = try cursor.seek(atLeast: BigEndian.bytes(max(position, 1)))
                var count = 0
                while let (key, value) = entry, count < limit, let at = BigEndian.uint64(key) {
                    try body(StoredEventBytes(position: at, bytes: value.assumingMemoryBound(to: UInt8.self)))
                    count += 1
                    entry = try cursor.next()
                }
            }
        }
    }
}
