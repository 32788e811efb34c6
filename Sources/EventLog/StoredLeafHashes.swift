import LMDB
import LedgerProofs

/// The leaf hashes in the `leaves` database, read one chunk of up to 256 hashes per lookup, and the subtree roots in
/// the `subtrees` database (`StoredSubtrees`), inside one read transaction (valid only while it lasts).
struct StoredLeafHashes: LeafHashSource {
    let txn: Transaction
    let databases: Databases

    /// The smallest subtree kept: one chunk.
    var smallestKeptSubtree: UInt64? { EventLog.leavesPerChunk }

    func keptSubtreeRoot(height: Int, index: UInt64) throws -> MerkleHash? {
        guard StoredSubtrees.heights.contains(height) else { return nil }
        return try StoredSubtrees.root(height: height, index: index, txn: txn, databases: databases)
    }

    /// Passes the stored hashes at `range` (0-based leaf indexes, so position - 1).
    /// - Throws: `EventLogError.integrity` naming the first position whose leaf hash is missing.
    func forEachLeafHash(in range: Range<UInt64>, _ body: (MerkleHash) -> Void) throws {
        var index = range.lowerBound
        while index < range.upperBound {
            let chunk = index / EventLog.leavesPerChunk
            let first = Int(index % EventLog.leavesPerChunk)
            let count = Int(min(EventLog.leavesPerChunk - UInt64(first), range.upperBound - index))
            try BigEndian.bytes(chunk).withUnsafeBytes { key in
                let value = try txn.get(databases.leaves, key: key)
                let stored = (value?.count ?? 0) / 32
                guard let value, stored >= first + count else {
                    let missing = chunk * EventLog.leavesPerChunk + UInt64(max(stored, first)) + 1
                    throw EventLogError.integrity(position: missing, message: "the stored leaf hash is missing")
                }
                for slot in first..<(first + count) {
                    body(MerkleHash(loading: value, fromByteOffset: slot * 32))
                }
            }
            index += UInt64(count)
        }
    }
}
