/// Why a Merkle proof could not be made or does not verify.
public enum ProofError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The leaf index is not below the tree size.
    case indexOutOfRange(index: UInt64, treeSize: UInt64)
    /// The old tree size is larger than the new one.
    case sizesOutOfOrder(oldSize: UInt64, newSize: UInt64)
    /// The proof has more or fewer hashes than trees of these sizes need.
    case wrongProofLength(Int)
    /// The root the proof leads to is not the expected root (for a consistency proof: the new root).
    case rootMismatch(expected: MerkleHash, computed: MerkleHash)
    /// The old root a consistency proof leads to is not the expected old root.
    case oldRootMismatch(expected: MerkleHash, computed: MerkleHash)

    public var description: String {
        switch self {
        case .indexOutOfRange(let index, let treeSize):
            "leaf index \(index) is not in a tree of size \(treeSize)"
        case .sizesOutOfOrder(let oldSize, let newSize):
            "the old tree size \(oldSize) is larger than the new tree size \(newSize)"
        case .wrongProofLength(let count):
            "a proof of \(count) hashes does not fit these tree sizes"
        case .rootMismatch(let expected, let computed):
            "the proof leads to root \(computed), expected \(expected)"
        case .oldRootMismatch(let expected, let computed):
            "the proof leads to old root \(computed), expected \(expected)"
        }
    }
}
