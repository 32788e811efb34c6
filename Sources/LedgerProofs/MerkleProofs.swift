/// RFC 9162 (section 2.1) Merkle proofs over the RFC 6962 tree: generation from a log's leaf hashes and
/// verification by a client that holds only hashes and trusted roots.
///
/// Generation computes each subtree root it needs from the leaves (`O(n)` hashes, `O(log n)` memory), or reads it
/// when the source keeps it (`LeafHashSource.keptSubtreeRoot`): the log keeps the roots of its aligned subtrees of
/// 2^8, 2^16, 2^24 and 2^32 leaves, so a proof or past root there reads `O(log n)` hashes. Verification takes
/// `O(log n)` hashes.
public enum MerkleProofs {
    /// The Merkle tree hash `MTH(D[range])` of the leaves in `range` (0-based; `SHA-256("")` when empty).
    ///
    /// From the smallest subtree the source keeps up, splits the range as RFC 6962 does and reads each aligned
    /// perfect subtree it keeps; below it (or where none is kept), streams the leaves through a `MerkleTree` frontier,
    /// reading each once and keeping at most 64 hashes.
    /// - Throws: what `leaves` throws.
    public static func subtreeRoot(_ range: Range<UInt64>, leaves: some LeafHashSource) throws -> MerkleHash {
        let count = range.upperBound - range.lowerBound
        guard let smallest = leaves.smallestKeptSubtree, count >= smallest else {
            var tree = MerkleTree()
            try leaves.forEachLeafHash(in: range) { tree.append($0) }
            return tree.root
        }
        let height = count.trailingZeroBitCount
        if count.nonzeroBitCount == 1, range.lowerBound % count == 0,
            let kept = try leaves.keptSubtreeRoot(height: height, index: range.lowerBound >> height)
        {
            return kept
        }
        let middle = range.lowerBound + split(count)
        return .node(
            try subtreeRoot(range.lowerBound..<middle, leaves: leaves),
            try subtreeRoot(middle..<range.upperBound, leaves: leaves)
        )
    }

    /// The largest power of two strictly smaller than `count`, which must be at least 2: RFC 6962's split point.
    static func split(_ count: UInt64) -> UInt64 {
        UInt64(1) << (63 - (count - 1).leadingZeroBitCount)
    }
}
