import LedgerProofs
import Testing

@Suite("RFC 6962 Merkle tree")
struct MerkleTreeTests {
    /// The inputs of the RFC 6962 / Certificate Transparency reference tree.
    static let inputs: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map(hexBytes)

    /// The published roots for sizes 0...8.
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test("the incremental root matches the RFC 6962 known-answer vectors for sizes 0 to 8")
    func knownAnswers() {
        var tree = MerkleTree()
        #expect(tree.root.description == Self.roots[0])
        for (index, input) in Self.inputs.enumerated() {
            tree.append(.leaf(input))
            #expect(tree.root.description == Self.roots[index + 1], "size \(index + 1)")
        }
    }

    @Test("the incremental frontier equals the recursive definition for every size up to 300")
    func incrementalEqualsRecursive() {
        let leaves = (0..<300).map { MerkleHash.leaf([UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)]) }
        var tree = MerkleTree()
        for size in 1...leaves.count {
            tree.append(leaves[size - 1])
            #expect(tree.root == MerkleTree.root(of: leaves[0..<size]), "size \(size)")
            #expect(tree.frontier.count == size.nonzeroBitCount)
        }
    }

    @Test("a stored frontier restores the same tree; a frontier of the wrong length is refused")
    func restore() throws {
        var tree = MerkleTree()
        for index in 0..<13 { tree.append(.leaf([UInt8(index)])) }
        let restored = try #require(MerkleTree(size: 13, frontier: tree.frontier))
        #expect(restored.root == tree.root)
        #expect(MerkleTree(size: 15, frontier: tree.frontier) == nil)
    }
}
