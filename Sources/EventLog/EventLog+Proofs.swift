import LMDB
import LedgerProofs

extension EventLog {
    /// The Merkle root of the first `size` events: the tree head a checkpoint of that size signs.
    ///
    /// The head's root is returned at once; an earlier size combines the stored roots of its subtrees
    /// (`StoredSubtrees`) and the hashes of at most 255 leaves past the last of them, in one read transaction:
    /// `O(log size)` reads.
    /// - Throws: `EventLogError.beyondHead` when `size` is past the head; `.integrity` when a leaf hash is missing.
    public func root(size: UInt64) throws(EventLogError) -> MerkleHash {
        let head = self.head
        guard size <= head.position else { throw .beyondHead(requested: size, head: head.position) }
        if size == head.position { return head.root }
        return try withStoredLeaves { leaves in try MerkleProofs.subtreeRoot(0..<size, leaves: leaves) }
    }

    /// The RFC 9162 inclusion proof that the event at `position` is in the tree of the first `treeSize` events.
    ///
    /// Reads the stored subtree roots it needs and at most a chunk of leaf hashes on each side, in one read
    /// transaction (`O(log treeSize)` reads).
    /// - Parameters:
    ///   - position: the event's position (1-based; its leaf index is `position - 1`).
    ///   - treeSize: the tree size (default: the head).
    /// - Returns: the proof with the event's leaf hash and the root of that tree.
    /// - Throws: `EventLogError.invalidArgument` for position 0 or a position past `treeSize`; `.beyondHead` when
    ///   the position or size is past the head; `.integrity` when the stored leaf hashes do not match the stored
    ///   root or one is missing.
    public func inclusionProof(position: UInt64, treeSize: UInt64? = nil) throws(EventLogError) -> InclusionProof {
        let head = self.head
        guard position >= 1 else { throw .invalidArgument("positions start at 1") }
        guard position <= head.position else { throw .beyondHead(requested: position, head: head.position) }
        let size = treeSize ?? head.position
        guard size <= head.position else { throw .beyondHead(requested: size, head: head.position) }
        guard position <= size else { throw .invalidArgument("position \(position) is not in a tree of size \(size)") }
        let proof = try withStoredLeaves { leaves in
            try MerkleProofs.inclusionProof(index: position - 1, treeSize: size, leaves: leaves)
        }
        try checkAgainstHead(size: size, root: proof.root, head: head)
        return proof
    }

    /// The RFC 9162 consistency proof that the tree of the first `oldSize` events is a prefix of the tree of the
    /// first `newSize` events.
    ///
    /// Reads the stored subtree roots it needs and at most a chunk of leaf hashes on each side, in one read
    /// transaction (`O(log newSize)` reads).
    /// - Parameters:
    ///   - oldSize: the earlier tree size, for example that of an auditor's trusted checkpoint.
    ///   - newSize: the later tree size (default: the head).
    /// - Returns: the proof with both roots.
    /// - Throws: `EventLogError.invalidArgument` when `oldSize > newSize`; `.beyondHead` when a size is past the
    ///   head; `.integrity` when the stored leaf hashes do not match the stored root or one is missing.
    public func consistencyProof(
        from oldSize: UInt64,
        to newSize: UInt64? = nil
    ) throws(EventLogError)
        -> ConsistencyProof
    {
        let head = self.head
        let size = newSize ?? head.position
        guard size <= head.position else { throw .beyondHead(requested: size, head: head.position) }
        guard oldSize <= size else {
            throw .invalidArgument("the old size \(oldSize) is larger than the new size \(size)")
        }
        let proof = try withStoredLeaves { leaves in
            try MerkleProofs.consistencyProof(oldSize: oldSize, newSize: size, leaves: leaves)
        }
        try checkAgainstHead(size: size, root: proof.newRoot, head: head)
        return proof
    }

    /// Runs `body` with the stored leaf hashes in one read transaction.
    private func withStoredLeaves<Result>(
        _ body: (StoredLeafHashes) throws -> Result
    ) throws(EventLogError)
        -> Result
    {
        try reading { txn in try body(StoredLeafHashes(txn: txn, databases: databases)) }
    }

    /// A proof for the head's size must lead to the head's root: never hand out one the stored tree contradicts.
    private func checkAgainstHead(size: UInt64, root: MerkleHash, head: Head) throws(EventLogError) {
        guard size != head.position || root == head.root else {
            throw .integrity(position: size, message: "the stored leaf hashes do not lead to the stored root")
        }
    }
}
