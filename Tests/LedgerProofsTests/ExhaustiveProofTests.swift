import LedgerProofs
import Testing

@Suite("Proofs for every tree size")
struct ExhaustiveProofTests {
    static let maximumSize = 300
    static let leaves = syntheticLeaves(maximumSize)
    static let roots = (0...maximumSize).map { ReferenceTree.mth(leaves[..<$0]) }

    @Test("subtree roots equal the recursive definition for every size up to 300")
    func subtreeRoots() throws {
        for size in 0...Self.maximumSize {
            #expect(try MerkleProofs.subtreeRoot(0..<UInt64(size), leaves: Self.leaves) == Self.roots[size])
        }
        #expect(try MerkleProofs.subtreeRoot(17..<45, leaves: Self.leaves) == ReferenceTree.mth(Self.leaves[17..<45]))
    }

    @Test("every inclusion proof for every tree size up to 300 verifies", arguments: 1...maximumSize)
    func inclusion(size: Int) throws {
        for index in 0..<size {
            let proof = try MerkleProofs.inclusionProof(
                index: UInt64(index),
                treeSize: UInt64(size),
                leaves: Self.leaves
            )
            #expect(proof.root == Self.roots[size])
            #expect(proof.leafHash == Self.leaves[index])
            try MerkleProofs.verifyInclusion(
                leafHash: Self.leaves[index],
                index: UInt64(index),
                treeSize: UInt64(size),
                proof: proof.path,
                root: Self.roots[size]
            )
            if size <= 64 {
                #expect(proof.path == ReferenceTree.path(index, Self.leaves[..<size]), "\(index) in \(size)")
            }
        }
    }

    @Test("every consistency proof between tree sizes up to 300 verifies", arguments: 1...maximumSize)
    func consistency(newSize: Int) throws {
        for oldSize in 0...newSize {
            let proof = try MerkleProofs.consistencyProof(
                oldSize: UInt64(oldSize),
                newSize: UInt64(newSize),
                leaves: Self.leaves
            )
            #expect(proof.oldRoot == Self.roots[oldSize])
            #expect(proof.newRoot == Self.roots[newSize])
            try MerkleProofs.verifyConsistency(
                oldSize: UInt64(oldSize),
                newSize: UInt64(newSize),
                oldRoot: Self.roots[oldSize],
                newRoot: Self.roots[newSize],
                proof: proof.path
            )
            if newSize <= 64 && oldSize > 0 {
                #expect(proof.path == ReferenceTree.proof(oldSize, Self.leaves[..<newSize]), "\(oldSize) to \(newSize)")
            }
        }
    }

    /// Each hash flipped, the wrong index, and every other tree size claimed with that size's real root.
    @Test("tampered inclusion proofs, wrong indices and wrong sizes are rejected", arguments: 1...40)
    func tamperedInclusion(size: Int) throws {
        for index in 0..<size {
            let path = try MerkleProofs.inclusionProof(
                index: UInt64(index),
                treeSize: UInt64(size),
                leaves: Self.leaves
            )
            .path
            func rejects(_ index: Int, _ size: Int, _ path: [MerkleHash], root: MerkleHash? = nil) -> Bool {
                do {
                    try MerkleProofs.verifyInclusion(
                        leafHash: Self.leaves[index],
                        index: UInt64(index),
                        treeSize: UInt64(size),
                        proof: path,
                        root: root ?? Self.roots[size]
                    )
                    return false
                } catch {
                    return true
                }
            }
            for position in path.indices {
                var tampered = path
                tampered[position] = tampered[position].flipped()
                #expect(rejects(index, size, tampered), "hash \(position) of \(index) in \(size)")
            }
            if index ^ 1 < size { #expect(rejects(index ^ 1, size, path, root: Self.roots[size])) }
            for other in (index + 1)...Self.maximumSize where other != size {
                #expect(rejects(index, other, path), "\(index) in \(size) claimed for size \(other)")
            }
            #expect(rejects(index, size, path, root: Self.roots[size - 1]))
            #expect(rejects(index, size, path + [Self.roots[size]]))
            if !path.isEmpty { #expect(rejects(index, size, Array(path.dropLast()))) }
        }
    }

    /// Each hash flipped, and every other old or new size claimed with that size's real root.
    @Test("tampered consistency proofs and wrong sizes or roots are rejected", arguments: 2...40)
    func tamperedConsistency(newSize: Int) throws {
        for oldSize in 1..<newSize {
            let path = try MerkleProofs.consistencyProof(
                oldSize: UInt64(oldSize),
                newSize: UInt64(newSize),
                leaves: Self.leaves
            ).path
            func rejects(_ old: Int, _ new: Int, _ path: [MerkleHash], oldRoot: MerkleHash? = nil) -> Bool {
                do {
                    try MerkleProofs.verifyConsistency(
                        oldSize: UInt64(old),
                        newSize: UInt64(new),
                        oldRoot: oldRoot ?? Self.roots[old],
                        newRoot: Self.roots[new],
                        proof: path
                    )
                    return false
                } catch {
                    return true
                }
            }
            for position in path.indices {
                var tampered = path
                tampered[position] = tampered[position].flipped(bit: 4)
                #expect(rejects(oldSize, newSize, tampered), "hash \(position) of \(oldSize) to \(newSize)")
            }
            for other in 1...Self.maximumSize where other != oldSize && other <= newSize {
                #expect(rejects(other, newSize, path), "\(oldSize) to \(newSize) claimed from \(other)")
            }
            for other in oldSize...Self.maximumSize where other != newSize {
                #expect(rejects(oldSize, other, path), "\(oldSize) to \(newSize) claimed to \(other)")
            }
            #expect(rejects(oldSize, newSize, path, oldRoot: Self.roots[oldSize].flipped()))
            #expect(rejects(oldSize, newSize, []))
            #expect(rejects(oldSize, newSize, path + [Self.roots[newSize]]))
        }
    }
}
