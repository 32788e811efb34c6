import LedgerProofs

extension EventLog {
    /// The stored leaf hashes of `positions`, in order, read a chunk at a time (cheaper than rehashing the events).
    /// - Throws: `EventLogError.integrity` when a hash is missing.
    public func leafHashes(_ positions: ClosedRange<UInt64>) throws(EventLogError) -> [MerkleHash] {
        guard positions.lowerBound >= 1 else { throw .invalidArgument("positions start at 1") }
        return try reading { txn in
            var hashes = [MerkleHash]()
            hashes.reserveCapacity(positions.count)
            try StoredLeafHashes(txn: txn, databases: databases).forEachLeafHash(
                in: (positions.lowerBound - 1)..<positions.upperBound
            ) { hashes.append($0) }
            return hashes
        }
    }
}
