/// Read access to the leaf hashes of a log, from which proofs and past roots are computed.
public protocol LeafHashSource {
    /// Calls `body` with the leaf hash at each index in `range` (0-based), in order.
    /// - Throws: when a leaf hash cannot be read; nothing is passed to `body` after that.
    func forEachLeafHash(in range: Range<UInt64>, _ body: (MerkleHash) -> Void) throws

    /// The fewest leaves of a subtree whose root the source may keep (nil: it keeps none, and every root is
    /// computed from the leaves).
    var smallestKeptSubtree: UInt64? { get }

    /// The kept root of the perfect subtree of `2^height` leaves from `index << height`, or nil when not kept.
    func keptSubtreeRoot(height: Int, index: UInt64) throws -> MerkleHash?
}

extension LeafHashSource {
    public var smallestKeptSubtree: UInt64? { nil }

    public func keptSubtreeRoot(height: Int, index: UInt64) throws -> MerkleHash? { nil }
}

extension Array: LeafHashSource where Element == MerkleHash {
    /// Passes the hashes at `range`.
    /// - Throws: `ProofError.indexOutOfRange` when `range` reaches past the end of the array.
    public func forEachLeafHash(in range: Range<UInt64>, _ body: (MerkleHash) -> Void) throws {
        guard range.upperBound <= UInt64(count) else {
            throw ProofError.indexOutOfRange(index: range.upperBound - 1, treeSize: UInt64(count))
        }
        for index in Int(range.lowerBound)..<Int(range.upperBound) { body(self[index]) }
    }
}
