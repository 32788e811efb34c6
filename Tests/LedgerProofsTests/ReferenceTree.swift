import LedgerProofs

/// RFC 6962 section 2.1 written out as literally as possible, to check the library against: `MTH`, `PATH` and
/// `PROOF` over an array of leaf hashes, recursive and unoptimised.
enum ReferenceTree {
    static func mth(_ leaves: ArraySlice<MerkleHash>) -> MerkleHash {
        switch leaves.count {
        case 0: return .emptyTree
        case 1: return leaves[leaves.startIndex]
        default:
            let k = largestPowerOfTwo(below: leaves.count)
            let middle = leaves.startIndex + k
            return .node(mth(leaves[..<middle]), mth(leaves[middle...]))
        }
    }

    static func path(_ m: Int, _ leaves: ArraySlice<MerkleHash>) -> [MerkleHash] {
        guard leaves.count > 1 else { return [] }
        let k = largestPowerOfTwo(below: leaves.count)
        let middle = leaves.startIndex + k
        if m < k { return path(m, leaves[..<middle]) + [mth(leaves[middle...])] }
        return path(m - k, leaves[middle...]) + [mth(leaves[..<middle])]
    }

    static func proof(_ m: Int, _ leaves: ArraySlice<MerkleHash>) -> [MerkleHash] {
        subproof(m, leaves, true)
    }

    private static func subproof(_ m: Int, _ leaves: ArraySlice<MerkleHash>, _ complete: Bool) -> [MerkleHash] {
        if m == leaves.count { return complete ? [] : [mth(leaves)] }
        let k = largestPowerOfTwo(below: leaves.count)
        let middle = leaves.startIndex + k
        if m <= k { return subproof(m, leaves[..<middle], complete) + [mth(leaves[middle...])] }
        return subproof(m - k, leaves[middle...], false) + [mth(leaves[..<middle])]
    }

    private static func largestPowerOfTwo(below count: Int) -> Int {
        var k = 1
        while k * 2 < count { k *= 2 }
        return k
    }
}

/// The inputs of the RFC 6962 / Certificate Transparency reference tree.
let referenceInputs: [[UInt8]] = [
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
].map(hexBytes)

/// The leaf hashes of `referenceInputs`.
let referenceLeaves = referenceInputs.map { MerkleHash.leaf($0) }

/// `count` distinct leaf hashes.
func syntheticLeaves(_ count: Int) -> [MerkleHash] {
    (0..<count).map { MerkleHash.leaf([UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8), 0x5A]) }
}

func hexBytes(_ hex: String) -> [UInt8] {
    var bytes = [UInt8]()
    var iterator = hex.utf8.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
        bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) ?? 0)
    }
    return bytes
}

/// A hash from 64 hex digits (test literals are valid by construction).
func hash(_ hex: String) -> MerkleHash {
    MerkleHash(hex: hex)!
}

extension MerkleHash {
    /// The same hash with one bit flipped.
    func flipped(bit: Int = 3) -> MerkleHash {
        var bytes = self.bytes
        bytes[0] ^= UInt8(1 << bit)
        return MerkleHash(bytes)!
    }
}
