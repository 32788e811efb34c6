/// An RFC 6962 Merkle tree kept as its right frontier: the roots of the perfect subtrees that make up its leaves,
/// largest first (one per set bit of `size`, so at most 64). Appending a leaf and computing the root take
/// O(log n) hashes.
public struct MerkleTree: Sendable, Hashable {
    /// The number of leaves.
    public private(set) var size: UInt64
    /// The perfect-subtree roots, largest (leftmost) first.
    public private(set) var frontier: [MerkleHash]

    /// The empty tree.
    public init() {
        size = 0
        frontier = []
    }

    /// Restores a tree from its stored size and frontier.
    /// - Returns: nil when the frontier does not have one hash per set bit of `size`.
    public init?(size: UInt64, frontier: [MerkleHash]) {
        guard frontier.count == size.nonzeroBitCount else { return nil }
        self.size = size
        self.frontier = frontier
    }

    /// Adds a leaf hash at position `size + 1`.
    public mutating func append(_ leaf: MerkleHash) {
        var carry = leaf
        var remaining = size
        while remaining & 1 == 1, let left = frontier.popLast() {
            carry = .node(left, carry)
            remaining >>= 1
        }
        frontier.append(carry)
        size += 1
    }

    /// The Merkle tree hash of all leaves (`SHA-256("")` when empty).
    public var root: MerkleHash {
        guard var result = frontier.last else { return .emptyTree }
        for left in frontier.dropLast().reversed() {
            result = .node(left, result)
        }
        return result
    }

    /// The root computed directly from RFC 6962's recursive definition, splitting at the largest power of two
    /// smaller than the count. For checking the incremental tree and for small trees.
    public static func root(of leaves: ArraySlice<MerkleHash>) -> MerkleHash {
        switch leaves.count {
        case 0: return .emptyTree
        case 1: return leaves[leaves.startIndex]
        default:
            var split = 1
            while split * 2 < leaves.count { split *= 2 }
            let middle = leaves.startIndex + split
            return .node(root(of: leaves[leaves.startIndex..<middle]), root(of: leaves[middle...]))
        }
    }
}
