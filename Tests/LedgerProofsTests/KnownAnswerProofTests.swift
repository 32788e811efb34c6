import LedgerProofs
import Testing

/// The inclusion and consistency proof vectors for the RFC 6962 reference tree that certificate-transparency-go
/// and transparency-dev/merkle test against (`proof/verify_test.go`).
@Suite("RFC 6962 / RFC 9162 proof known answers")
struct KnownAnswerProofTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var first: UInt64
        var second: UInt64
        var proof: [String]
        var testDescription: String { "\(first), \(second)" }
    }

    /// Leaf index, tree size, audit path.
    static let inclusion = [
        Vector(first: 0, second: 1, proof: []),
        Vector(
            first: 0,
            second: 8,
            proof: [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        ),
        Vector(
            first: 5,
            second: 8,
            proof: [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        ),
        Vector(first: 2, second: 3, proof: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        Vector(
            first: 1,
            second: 5,
            proof: [
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]
        ),
    ]

    /// Old size, new size, consistency proof.
    static let consistency = [
        Vector(first: 1, second: 1, proof: []),
        Vector(
            first: 1,
            second: 8,
            proof: [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        ),
        Vector(
            first: 6,
            second: 8,
            proof: [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        ),
        Vector(
            first: 2,
            second: 5,
            proof: [
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]
        ),
        Vector(
            first: 6,
            second: 7,
            proof: [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        ),
    ]

    static func root(_ size: UInt64) -> MerkleHash {
        ReferenceTree.mth(referenceLeaves[..<Int(size)])
    }

    @Test("generated inclusion proofs equal the published ones and verify", arguments: inclusion)
    func inclusionProof(vector: Vector) throws {
        let proof = try MerkleProofs.inclusionProof(
            index: vector.first,
            treeSize: vector.second,
            leaves: referenceLeaves
        )
        #expect(proof.path == vector.proof.map(hash))
        #expect(proof.leafHash == referenceLeaves[Int(vector.first)])
        #expect(proof.root == Self.root(vector.second))
        try MerkleProofs.verifyInclusion(
            leafHash: proof.leafHash,
            index: vector.first,
            treeSize: vector.second,
            proof: vector.proof.map(hash),
            root: Self.root(vector.second)
        )
    }

    @Test("generated consistency proofs equal the published ones and verify", arguments: consistency)
    func consistencyProof(vector: Vector) throws {
        let proof = try MerkleProofs.consistencyProof(
            oldSize: vector.first,
            newSize: vector.second,
            leaves: referenceLeaves
        )
        #expect(proof.path == vector.proof.map(hash))
        #expect(proof.oldRoot == Self.root(vector.first))
        #expect(proof.newRoot == Self.root(vector.second))
        try MerkleProofs.verifyConsistency(
            oldSize: vector.first,
            newSize: vector.second,
            oldRoot: Self.root(vector.first),
            newRoot: Self.root(vector.second),
            proof: vector.proof.map(hash)
        )
    }

    /// transparency-dev's corruption probes: none of them may verify.
    @Test("corrupted inclusion proofs are rejected", arguments: inclusion.filter { !$0.proof.isEmpty })
    func corruptedInclusion(vector: Vector) {
        let (index, size, path) = (vector.first, vector.second, vector.proof.map(hash))
        let root = Self.root(size)
        let leaf = referenceLeaves[Int(index)]
        let some = hash("abacaba000000000000000000000000000000000000000000060061e00123456")
        var probes: [(String, UInt64, UInt64, MerkleHash, MerkleHash, [MerkleHash])] = [
            ("index + 1", index + 1, size, root, leaf, path),
            ("index ^ 2", index ^ 2, size, root, leaf, path),
            ("size * 2", index, size * 2, root, leaf, path),
            ("size / 2", index, size / 2, root, leaf, path),
            ("wrong leaf", index, size, root, .leaf(Array("WrongLeaf".utf8)), path),
            ("empty root", index, size, .emptyTree, leaf, path),
            ("random root", index, size, some, leaf, path),
            ("trailing root", index, size, root, leaf, path + [root]),
            ("preceding root", index, size, root, leaf, [root] + path),
            ("removed component", index, size, root, leaf, Array(path.dropLast())),
        ]
        if index > 0 { probes.append(("index - 1", index - 1, size, root, leaf, path)) }
        if path.count > 1 {
            probes.append(("inserted component", index, size, root, leaf, [path[0], some] + path[1...]))
        }
        for position in path.indices {
            var wrong = path
            wrong[position] = wrong[position].flipped()
            probes.append(("proof[\(position)] flipped", index, size, root, leaf, wrong))
        }
        for (name, index, size, root, leaf, path) in probes {
            #expect(throws: ProofError.self, "\(name)") {
                try MerkleProofs.verifyInclusion(leafHash: leaf, index: index, treeSize: size, proof: path, root: root)
            }
        }
    }

    @Test("corrupted consistency proofs are rejected", arguments: consistency.filter { !$0.proof.isEmpty })
    func corruptedConsistency(vector: Vector) {
        let (old, new, path) = (vector.first, vector.second, vector.proof.map(hash))
        let (oldRoot, newRoot) = (Self.root(old), Self.root(new))
        let wrong = MerkleHash.leaf(Array("WrongRoot".utf8))
        var probes: [(String, UInt64, UInt64, MerkleHash, MerkleHash, [MerkleHash])] = [
            ("old - 1", old - 1, new, oldRoot, newRoot, path),
            ("old + 1", old + 1, new, oldRoot, newRoot, path),
            ("old ^ 2", old ^ 2, new, oldRoot, newRoot, path),
            ("new * 2", old, new * 2, oldRoot, newRoot, path),
            ("new / 2", old, new / 2, oldRoot, newRoot, path),
            ("wrong old root", old, new, wrong, newRoot, path),
            ("wrong new root", old, new, oldRoot, wrong, path),
            ("swapped roots", old, new, newRoot, oldRoot, path),
            ("empty proof", old, new, oldRoot, newRoot, []),
            ("trailing old root", old, new, oldRoot, newRoot, path + [oldRoot]),
            ("trailing new root", old, new, oldRoot, newRoot, path + [newRoot]),
            ("preceding old root", old, new, oldRoot, newRoot, [oldRoot] + path),
            ("preceding new root", old, new, oldRoot, newRoot, [newRoot] + path),
            ("preceding proof[0]", old, new, oldRoot, newRoot, [path[0]] + path),
            ("truncated", old, new, oldRoot, newRoot, Array(path.dropLast())),
        ]
        for position in path.indices {
            var changed = path
            changed[position] = changed[position].flipped(bit: 4)
            probes.append(("proof[\(position)] flipped", old, new, oldRoot, newRoot, changed))
        }
        for (name, old, new, oldRoot, newRoot, path) in probes {
            #expect(throws: ProofError.self, "\(name)") {
                try MerkleProofs.verifyConsistency(
                    oldSize: old,
                    newSize: new,
                    oldRoot: oldRoot,
                    newRoot: newRoot,
                    proof: path
                )
            }
        }
    }

    @Test("trivial consistency: empty and equal trees need an empty proof and matching roots")
    func trivialConsistency() throws {
        let root = Self.root(3)
        try MerkleProofs.verifyConsistency(oldSize: 0, newSize: 0, oldRoot: .emptyTree, newRoot: .emptyTree, proof: [])
        try MerkleProofs.verifyConsistency(oldSize: 0, newSize: 3, oldRoot: .emptyTree, newRoot: root, proof: [])
        try MerkleProofs.verifyConsistency(oldSize: 3, newSize: 3, oldRoot: root, newRoot: root, proof: [])
        #expect(throws: ProofError.wrongProofLength(1)) {
            try MerkleProofs.verifyConsistency(oldSize: 3, newSize: 3, oldRoot: root, newRoot: root, proof: [root])
        }
        #expect(throws: ProofError.rootMismatch(expected: .emptyTree, computed: root)) {
            try MerkleProofs.verifyConsistency(oldSize: 3, newSize: 3, oldRoot: root, newRoot: .emptyTree, proof: [])
        }
        #expect(throws: ProofError.oldRootMismatch(expected: root, computed: .emptyTree)) {
            try MerkleProofs.verifyConsistency(oldSize: 0, newSize: 3, oldRoot: root, newRoot: root, proof: [])
        }
        #expect(throws: ProofError.sizesOutOfOrder(oldSize: 2, newSize: 1)) {
            try MerkleProofs.verifyConsistency(oldSize: 2, newSize: 1, oldRoot: root, newRoot: root, proof: [])
        }
        let empty = try MerkleProofs.consistencyProof(oldSize: 0, newSize: 3, leaves: referenceLeaves)
        #expect(empty == ConsistencyProof(oldSize: 0, newSize: 3, oldRoot: .emptyTree, newRoot: root, path: []))
    }

    @Test("out-of-range requests are refused by the generator and the verifier")
    func outOfRange() {
        #expect(throws: ProofError.indexOutOfRange(index: 8, treeSize: 8)) {
            try MerkleProofs.inclusionProof(index: 8, treeSize: 8, leaves: referenceLeaves)
        }
        #expect(throws: ProofError.indexOutOfRange(index: 8, treeSize: 8)) {
            try MerkleProofs.inclusionProof(index: 0, treeSize: 9, leaves: referenceLeaves)
        }
        #expect(throws: ProofError.sizesOutOfOrder(oldSize: 5, newSize: 4)) {
            try MerkleProofs.consistencyProof(oldSize: 5, newSize: 4, leaves: referenceLeaves)
        }
        #expect(throws: ProofError.indexOutOfRange(index: 0, treeSize: 0)) {
            try MerkleProofs.verifyInclusion(leafHash: .emptyTree, index: 0, treeSize: 0, proof: [], root: .emptyTree)
        }
    }
}
