/// RFC 9162 (section 2.1) Merkle proofs over the RFC 6962 tree: generation from a log's leaf hashes and
/// verification by a client that holds only hashes and trusted roots.
///
/// Generation reads every leaf of the tree once, in ranges (`O(n)` hashes, `O(log n)` memory): the log stores
/// leaf hashes, not interior nodes. Verification takes `O(log n)` hashes.
public enum MerkleProofs {
    /// The Merkle tree hash `MTH(D[range])` of the leaves in `range` (0-based; `SHA-256("")` when empty).
    ///
    /// Streams the leaves through a `MerkleTree` frontier, so it reads each leaf once and keeps at most 64 hashes.
    /// - Throws: what `leaves` throws.
    public static func subtreeRoot(_ range: Range<UInt64>, leaves: some LeafHashSource) throws -> MerkleHash {
        var tree = MerkleTree()
        try leaves.forEachLeafHash(in: range) { tree.append($0) }
        return tree.root
    }

    /// The largest power of two strictly smaller than `count`, which must be at least 2: RFC 6962's split point.
    static func split(_ count: UInt64) -> UInt64 {
        UInt64(1) << (63 - (count - 1).leadingZeroBitCount)
    }
}
