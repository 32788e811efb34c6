/// An RFC 9162 inclusion proof: the audit path from one leaf to the root of a tree of `treeSize` leaves.
public struct InclusionProof: Sendable, Hashable {
    /// The 0-based leaf index (an event's position minus 1).
    public var index: UInt64
    /// The number of leaves in the tree the proof is for.
    public var treeSize: UInt64
    /// The leaf hash at `index`.
    public var leafHash: MerkleHash
    /// The root of the tree of `treeSize` leaves, as the prover computed it.
    public var root: MerkleHash
    /// The sibling hashes from the leaf up to the root.
    public var path: [MerkleHash]

    public init(index: UInt64, treeSize: UInt64, leafHash: MerkleHash, root: MerkleHash, path: [MerkleHash]) {
        self.index = index
        self.treeSize = treeSize
        self.leafHash = leafHash
        self.root = root
        self.path = path
    }
}
