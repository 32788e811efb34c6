extension MerkleProofs {
    /// The inclusion proof `PATH(index, D[treeSize])` (RFC 9162 section 2.1.3.1), with the leaf hash and the root.
    /// - Parameters:
    ///   - index: the 0-based leaf index.
    ///   - treeSize: the number of leaves in the tree; `leaves` must hold at least that many.
    ///   - leaves: the log's leaf hashes.
    /// - Throws: `ProofError.indexOutOfRange` when `index >= treeSize`; what `leaves` throws.
    public static func inclusionProof(
        index: UInt64,
        treeSize: UInt64,
        leaves: some LeafHashSource
    ) throws -> InclusionProof {
        guard index < treeSize else { throw ProofError.indexOutOfRange(index: index, treeSize: treeSize) }
        var path = [MerkleHash]()
        path.reserveCapacity(64)
        let leafHash = try subtreeRoot(index..<(index + 1), leaves: leaves)
        let root = try appendPath(index: index, leafHash: leafHash, range: 0..<treeSize, leaves: leaves, to: &path)
        return InclusionProof(index: index, treeSize: treeSize, leafHash: leafHash, root: root, path: path)
    }

    /// The consistency proof `PROOF(oldSize, D[newSize])` (RFC 9162 section 2.1.4.1), with both roots.
    ///
    /// The proof is empty when `oldSize` is 0 or equal to `newSize`.
    /// - Throws: `ProofError.sizesOutOfOrder` when `oldSize > newSize`; what `leaves` throws.
    public static func consistencyProof(
        oldSize: UInt64,
        newSize: UInt64,
        leaves: some LeafHashSource
    ) throws -> ConsistencyProof {
        guard oldSize <= newSize else { throw ProofError.sizesOutOfOrder(oldSize: oldSize, newSize: newSize) }
        guard oldSize > 0 else {
            let newRoot = try subtreeRoot(0..<newSize, leaves: leaves)
            return ConsistencyProof(oldSize: 0, newSize: newSize, oldRoot: .emptyTree, newRoot: newRoot, path: [])
        }
        var path = [MerkleHash]()
        path.reserveCapacity(64)
        let roots = try appendSubproof(
            oldSize: oldSize,
            range: 0..<newSize,
            complete: true,
            leaves: leaves,
            to: &path
        )
        return ConsistencyProof(oldSize: oldSize, newSize: newSize, oldRoot: roots.old, newRoot: roots.new, path: path)
    }

    /// Appends `PATH` for the leaf at absolute `index` within `range`, deepest sibling first.
    /// - Returns: `MTH(D[range])`.
    private static func appendPath<Source: LeafHashSource>(
        index: UInt64,
        leafHash: MerkleHash,
        range: Range<UInt64>,
        leaves: Source,
        to path: inout [MerkleHash]
    ) throws -> MerkleHash {
        guard range.upperBound - range.lowerBound > 1 else { return leafHash }
        let middle = range.lowerBound + split(range.upperBound - range.lowerBound)
        if index < middle {
            let left = try appendPath(
                index: index,
                leafHash: leafHash,
                range: range.lowerBound..<middle,
                leaves: leaves,
                to: &path
            )
            let right = try subtreeRoot(middle..<range.upperBound, leaves: leaves)
            path.append(right)
            return .node(left, right)
        } else {
            let right = try appendPath(
                index: index,
                leafHash: leafHash,
                range: middle..<range.upperBound,
                leaves: leaves,
                to: &path
            )
            let left = try subtreeRoot(range.lowerBound..<middle, leaves: leaves)
            path.append(left)
            return .node(left, right)
        }
    }

    /// Appends `SUBPROOF(oldSize, D[range], complete)`, where `oldSize` counts from `range.lowerBound`.
    /// - Returns: the root of the old leaves in `range` and `MTH(D[range])`.
    private static func appendSubproof<Source: LeafHashSource>(
        oldSize: UInt64,
        range: Range<UInt64>,
        complete: Bool,
        leaves: Source,
        to path: inout [MerkleHash]
    ) throws -> (old: MerkleHash, new: MerkleHash) {
        let count = range.upperBound - range.lowerBound
        guard oldSize < count else {
            let root = try subtreeRoot(range, leaves: leaves)
            if !complete { path.append(root) }
            return (root, root)
        }
        let middle = range.lowerBound + split(count)
        if oldSize <= middle - range.lowerBound {
            let left = try appendSubproof(
                oldSize: oldSize,
                range: range.lowerBound..<middle,
                complete: complete,
                leaves: leaves,
                to: &path
            )
            let right = try subtreeRoot(middle..<range.upperBound, leaves: leaves)
            path.append(right)
            return (left.old, .node(left.new, right))
        } else {
            let right = try appendSubproof(
                oldSize: oldSize - (middle - range.lowerBound),
                range: middle..<range.upperBound,
                complete: false,
                leaves: leaves,
                to: &path
            )
            let left = try subtreeRoot(range.lowerBound..<middle, leaves: leaves)
            path.append(left)
            return (.node(left, right.old), .node(left, right.new))
        }
    }
}
