import EventLog
import LMDB
import LedgerProofs
import LedgerTestSupport
import Testing

@Suite("Stored subtree roots")
struct SubtreeTests {
    /// Past 2^16 leaves, so that subtrees of two heights are stored, in requests of varying size.
    static let size = 66_000

    /// A log of `size` events and its leaf hashes.
    static func filledLog() throws -> (LogFixture, [MerkleHash]) {
        let fixture = try LogFixture(mapSize: 256 << 20)
        var written = 0
        var batch = 1
        while written < size {
            let count = min(batch, size - written)
            _ = try fixture.log.append(request("s-\(batch % 5)", .any, (0..<count).map { _ in event() }))
            written += count
            batch = batch * 7 % 2_003 + 1
        }
        let leaves = try fixture.log.readAll(limit: size).map { MerkleHash.leaf($0.bytes) }
        #expect(leaves.count == size)
        return (fixture, leaves)
    }

    /// Sizes on either side of each stored height's boundaries.
    static let sizes: [UInt64] = [1, 255, 256, 257, 511, 512, 4_097, 65_535, 65_536, 65_537, 65_792, 66_000]

    /// The stored entries of the `subtrees` database.
    static func storedCount(_ log: EventLog) throws -> Int {
        let subtrees = try log.environment.openDatabase("subtrees")
        return try log.environment.read { try $0.count(subtrees) }
    }

    /// Every past root and proof of `log` equals the one computed from `leaves` alone (which keep no subtrees).
    static func expectProofsFromLeaves(_ log: EventLog, _ leaves: [MerkleHash]) throws {
        for size in sizes {
            #expect(try log.root(size: size) == MerkleTree.root(of: leaves[..<Int(size)]), "size \(size)")
            for position in [UInt64(1), 257, 65_537, size] where position <= size {
                let proof = try log.inclusionProof(position: position, treeSize: size)
                let expected = try MerkleProofs.inclusionProof(index: position - 1, treeSize: size, leaves: leaves)
                #expect(proof == expected, "position \(position) in \(size)")
            }
            for oldSize in [UInt64(256), 300, 65_537] where oldSize <= size {
                let proof = try log.consistencyProof(from: oldSize, to: size)
                let expected = try MerkleProofs.consistencyProof(oldSize: oldSize, newSize: size, leaves: leaves)
                #expect(proof == expected, "\(oldSize) to \(size)")
            }
        }
    }

    @Test("past roots and proofs read from stored subtrees equal those computed from every leaf")
    func proofsMatchLeaves() throws {
        let (fixture, leaves) = try Self.filledLog()
        // 257 chunks of 2^8 leaves and one subtree of 2^16.
        #expect(try Self.storedCount(fixture.log) == 257 + 1)
        try Self.expectProofsFromLeaves(fixture.log, leaves)
        #expect(try fixture.log.verify().size == UInt64(Self.size))
    }

    @Test("a log whose subtrees were never stored has them filled in when it opens")
    func filledAtOpen() throws {
        let (fixture, leaves) = try Self.filledLog()
        let subtrees = try fixture.log.environment.openDatabase("subtrees")
        // As a build that kept no subtrees leaves it, and one that stopped part-way through the chunks.
        for kept in [0, 100] {
            try fixture.log.environment.write { txn in
                try txn.empty(subtrees)
                for chunk in 0..<UInt64(kept) {
                    let root = MerkleTree.root(of: leaves[Int(chunk * 256)..<Int(chunk * 256 + 256)])
                    try txn.put(subtrees, key: [8] + bigEndian(chunk), value: root.bytes)
                }
            }
            let copy = try TemporaryDirectory()
            try fixture.log.environment.copy(to: copy.path, compact: false)
            let reopened = try LogFixture.open(copy.path, mapSize: 256 << 20)
            #expect(try Self.storedCount(reopened) == 257 + 1, "\(kept) kept")
            try Self.expectProofsFromLeaves(reopened, leaves)
            #expect(try reopened.verify().size == UInt64(Self.size))
        }
    }

    @Test("verify names the first position of a stored subtree root that its leaves contradict")
    func damagedSubtreeFound() throws {
        let (fixture, _) = try Self.filledLog()
        let subtrees = try fixture.log.environment.openDatabase("subtrees")
        for (height, index, position) in [(UInt8(8), UInt64(3), UInt64(769)), (16, 0, 1)] {
            let copy = try TemporaryDirectory()
            try fixture.log.environment.copy(to: copy.path, compact: false)
            let damaged = try LogFixture.open(copy.path, mapSize: 256 << 20)
            let databases = try damaged.environment.openDatabase("subtrees")
            try damaged.environment.write { txn in
                try txn.put(databases, key: [height] + bigEndian(index), value: MerkleHash.emptyTree.bytes)
            }
            #expect("2^\(height) subtree \(index)") {
                try damaged.verify()
            } throws: { error in
                guard case .integrity(let found, let message) = error as? EventLogError else { return false }
                return found == position && message.contains("subtree root of 2^\(height) leaves differs")
            }
        }
        #expect(try fixture.log.environment.read { try $0.count(subtrees) } == 258)
    }
}

private func bigEndian(_ value: UInt64) -> [UInt8] {
    withUnsafeBytes(of: value.bigEndian) { Array($0) }
}
