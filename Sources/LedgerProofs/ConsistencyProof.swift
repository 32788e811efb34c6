/// An RFC 9162 consistency proof: that the tree of `oldSize` leaves is a prefix of the tree of `newSize` leaves.
public struct ConsistencyProof: Sendable, Hashable {
    /// The size of the earlier tree.
    public var oldSize: UInt64
    /// The size of the later tree.
    public var newSize: UInt64
    /// The root of the earlier tree, as the prover computed it.
    public var oldRoot: MerkleHash
    /// The root of the later tree, as the prover computed it.
    public var newRoot: MerkleHash
    /// The proof hashes, in RFC 9162 order.
    public var path: [MerkleHash]

    public init(oldSize: UInt64, newSize: UInt64, oldRoot: MerkleHash, newRoot: MerkleHash, path: [MerkleHash]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.oldRoot = oldRoot
        self.newRoot = newRoot
        self.path = path
    }
}
