import LedgerProofs

extension EventLog {
    /// Calls `body` with each of up to `limit` events of the log from `position` on, in order, read in place in one
    /// read transaction (no copy of the events is made), and with each event's stored leaf hash.
    /// - Throws: what `body` throws, or `EventLogError.integrity` when a leaf hash is missing.
    public func forEachStoredEvent(
        from position: UInt64,
        limit: Int,
        _ body: (StoredEventBytes, MerkleHash) throws(EventLogError) -> Void
    ) throws(EventLogError) {
        guard limit > 0 else { return }
        try reading { txn in
            // The values stay where LMDB maps them until the transaction ends.
            var events = [StoredEventBytes]()
            events.reserveCapacity(min(limit, 4096))
            try txn.withCursor(databases.events) { cursor in
                var entry = try cursor.seek(atLeast: BigEndian.bytes(max(position, 1)))
                while let (key, value) = entry, events.count < limit, let at = BigEndian.uint64(key) {
                    events.append(StoredEventBytes(position: at, bytes: value.assumingMemoryBound(to: UInt8.self)))
                    entry = try cursor.next()
                }
            }
            guard let first = events.first?.position, let last = events.last?.position else { return }
            var hashes = [MerkleHash]()
            hashes.reserveCapacity(events.count)
            try StoredLeafHashes(txn: txn, leaves: databases.leaves).forEachLeafHash(in: (first - 1)..<last) {
                hashes.append($0)
            }
            // Positions have no gaps, so the hashes line up with the events.
            for (event, hash) in zip(events, hashes) { try body(event, hash) }
        }
    }
}
