extension MerkleProofs {
    /// Verifies an inclusion proof as RFC 9162 section 2.1.3.2 describes: that the leaf with `leafHash` is at
    /// `index` in the tree of `treeSize` leaves whose root is `root`.
    /// - Parameters:
    ///   - leafHash: `SHA-256(0x00 || leaf bytes)`, computed by the verifier from the bytes it holds.
    ///   - index: the 0-based leaf index.
    ///   - treeSize: the size of the tree `root` belongs to.
    ///   - proof: the audit path, deepest sibling first.
    ///   - root: a trusted root, for example from a verified checkpoint.
    /// - Throws: `ProofError` saying why the proof does not hold.
    public static func verifyInclusion(
        leafHash: MerkleHash,
        index: UInt64,
        treeSize: UInt64,
        proof: [MerkleHash],
        root: MerkleHash
    ) throws(ProofError) {
        guard index < treeSize else { throw .indexOutOfRange(index: index, treeSize: treeSize) }
        // The RFC's names: `fn` walks up from the leaf, `sn` from the last leaf of the tree.
        var fn = index
        var sn = treeSize - 1
        var computed = leafHash
        for sibling in proof {
            guard sn != 0 else { throw .wrongProofLength(proof.count) }
            if fn & 1 == 1 || fn == sn {
                computed = .node(sibling, computed)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                computed = .node(computed, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw .wrongProofLength(proof.count) }
        guard computed == root else { throw .rootMismatch(expected: root, computed: computed) }
    }

    /// Verifies a consistency proof as RFC 9162 section 2.1.4.2 describes: that the tree of `oldSize` leaves with
    /// root `oldRoot` is a prefix of the tree of `newSize` leaves with root `newRoot`.
    ///
    /// Equal sizes need an empty proof and equal roots; an old size of 0 needs an empty proof and the empty-tree
    /// root `SHA-256("")` as `oldRoot`.
    /// - Throws: `ProofError` saying why the proof does not hold.
    public static func verifyConsistency(
        oldSize: UInt64,
        newSize: UInt64,
        oldRoot: MerkleHash,
        newRoot: MerkleHash,
        proof: [MerkleHash]
    ) throws(ProofError) {
        guard oldSize <= newSize else { throw .sizesOutOfOrder(oldSize: oldSize, newSize: newSize) }
        if oldSize == 0 || oldSize == newSize {
            guard proof.isEmpty else { throw .wrongProofLength(proof.count) }
            guard oldSize > 0 || oldRoot == .emptyTree else {
                throw .oldRootMismatch(expected: oldRoot, computed: .emptyTree)
            }
            guard oldSize == 0 || oldRoot == newRoot else { throw .rootMismatch(expected: newRoot, computed: oldRoot) }
            return
        }
        guard let head = proof.first else { throw .wrongProofLength(0) }
        // A power-of-two old tree is a complete subtree of the new one: the proof leaves out its root.
        let oldIsComplete = oldSize & (oldSize - 1) == 0
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldComputed = oldIsComplete ? oldRoot : head
        var newComputed = oldComputed
        for hash in oldIsComplete ? proof[...] : proof.dropFirst() {
            guard sn != 0 else { throw .wrongProofLength(proof.count) }
            if fn & 1 == 1 || fn == sn {
                oldComputed = .node(hash, oldComputed)
                newComputed = .node(hash, newComputed)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newComputed = .node(newComputed, hash)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw .wrongProofLength(proof.count) }
        guard oldComputed == oldRoot else { throw .oldRootMismatch(expected: oldRoot, computed: oldComputed) }
        guard newComputed == newRoot else { throw .rootMismatch(expected: newRoot, computed: newComputed) }
    }
}
