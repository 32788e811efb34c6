import EventLog
import LedgerProofs
import Testing

@Suite("Proofs over a stored log")
struct ProofTests {
    /// A log of 600 events (three leaf chunks, the last partial) written in batches of varying size.
    static func filledLog() throws -> (LogFixture, [MerkleHash]) {
        let fixture = try LogFixture()
        var written = 0
        var batch = 1
        while written < 600 {
            let count = min(batch, 600 - written)
            let events = (0..<count).map { event("t", ["i": .number(.init(written + $0))]) }
            _ = try fixture.log.append(request("s-\(batch % 3)", .any, events))
            written += count
            batch = batch * 3 % 97 + 1
        }
        let leaves = try fixture.log.readAll(limit: 1000).map { MerkleHash.leaf($0.bytes) }
        #expect(leaves.count == 600)
        return (fixture, leaves)
    }

    @Test("events read in place are the stored bytes, from any position")
    func inPlace() throws {
        let (fixture, _) = try Self.filledLog()
        let stored = try fixture.log.readAll(limit: 1000)
        for (from, limit) in [(1, 600), (250, 300), (590, 50), (601, 10), (7, 0)] {
            var seen: [(position: UInt64, bytes: [UInt8])] = []
            try fixture.log.forEachStoredEvent(from: UInt64(from), limit: limit) { event in
                seen.append((event.position, Array(event.bytes)))
            }
            let expected = stored.dropFirst(from - 1).prefix(limit)
            #expect(seen.map(\.position) == expected.map(\.position), "from \(from)")
            #expect(seen.map(\.bytes) == expected.map(\.bytes), "from \(from)")
        }
    }

    @Test("the root of every past size equals the tree of that many stored events")
    func pastRoots() throws {
        let (fixture, leaves) = try Self.filledLog()
        var tree = MerkleTree()
        #expect(try fixture.log.root(size: 0) == .emptyTree)
        for (index, leaf) in leaves.enumerated() {
            tree.append(leaf)
            #expect(try fixture.log.root(size: UInt64(index + 1)) == tree.root, "size \(index + 1)")
        }
        #expect(fixture.log.head.root == tree.root)
    }

    @Test("inclusion proofs for every position verify against the root of their tree size")
    func inclusion() throws {
        let (fixture, leaves) = try Self.filledLog()
        let head = fixture.log.head
        for position in UInt64(1)...600 {
            let proof = try fixture.log.inclusionProof(position: position)
            #expect(proof.treeSize == 600 && proof.index == position - 1)
            #expect(proof.leafHash == leaves[Int(position - 1)])
            try MerkleProofs.verifyInclusion(
                leafHash: leaves[Int(position - 1)],
                index: position - 1,
                treeSize: 600,
                proof: proof.path,
                root: head.root
            )
        }
        for size in [UInt64(1), 255, 256, 257, 511, 512, 513, 599] {
            for position in [UInt64(1), 2, 128, 255, 256, 257, 300, 512, 513, 599] where position <= size {
                let proof = try fixture.log.inclusionProof(position: position, treeSize: size)
                #expect(
                    proof
                        == (try MerkleProofs.inclusionProof(index: position - 1, treeSize: size, leaves: leaves))
                )
                try MerkleProofs.verifyInclusion(
                    leafHash: leaves[Int(position - 1)],
                    index: position - 1,
                    treeSize: size,
                    proof: proof.path,
                    root: fixture.log.root(size: size)
                )
            }
        }
    }

    @Test("consistency proofs from every earlier size verify; a signed checkpoint stays consistent as the log grows")
    func consistency() throws {
        let (fixture, leaves) = try Self.filledLog()
        for oldSize in UInt64(0)...600 {
            let proof = try fixture.log.consistencyProof(from: oldSize)
            try MerkleProofs.verifyConsistency(
                oldSize: oldSize,
                newSize: 600,
                oldRoot: fixture.log.root(size: oldSize),
                newRoot: fixture.log.head.root,
                proof: proof.path
            )
        }
        let middle = try fixture.log.consistencyProof(from: 200, to: 513)
        #expect(middle == (try MerkleProofs.consistencyProof(oldSize: 200, newSize: 513, leaves: leaves)))

        let signer = try CheckpointSigner(privateKeyText: KeyFile.generate(name: "ledger.example.org/test").privateKey)
        let note = try signer.sign(Checkpoint(origin: signer.name, size: 600, root: fixture.log.root(size: 600)))
        _ = try fixture.log.append(request("later", .any, (0..<50).map { _ in event() }))
        let trusted = try Checkpoint(verifying: note.formatted, with: signer.verifier)
        let current = fixture.log.head
        try MerkleProofs.verifyConsistency(
            oldSize: trusted.size,
            newSize: current.position,
            oldRoot: trusted.root,
            newRoot: current.root,
            proof: fixture.log.consistencyProof(from: trusted.size, to: current.position).path
        )
    }

    @Test("positions and sizes outside the log are refused with the head named")
    func outOfRange() throws {
        let empty = try LogFixture()
        #expect(try empty.log.root(size: 0) == .emptyTree)
        #expect(try empty.log.consistencyProof(from: 0).path.isEmpty)
        #expect(throws: EventLogError.beyondHead(requested: 1, head: 0)) {
            try empty.log.inclusionProof(position: 1)
        }

        let fixture = try LogFixture()
        _ = try fixture.log.append(request("s", .any, (0..<10).map { _ in event() }))
        #expect(throws: EventLogError.invalidArgument("positions start at 1")) {
            try fixture.log.inclusionProof(position: 0)
        }
        #expect(throws: EventLogError.beyondHead(requested: 11, head: 10)) {
            try fixture.log.inclusionProof(position: 11)
        }
        #expect(throws: EventLogError.beyondHead(requested: 11, head: 10)) {
            try fixture.log.inclusionProof(position: 3, treeSize: 11)
        }
        #expect(throws: EventLogError.invalidArgument("position 5 is not in a tree of size 4")) {
            try fixture.log.inclusionProof(position: 5, treeSize: 4)
        }
        #expect(throws: EventLogError.invalidArgument("the old size 5 is larger than the new size 4")) {
            try fixture.log.consistencyProof(from: 5, to: 4)
        }
        #expect(throws: EventLogError.beyondHead(requested: 12, head: 10)) {
            try fixture.log.consistencyProof(from: 5, to: 12)
        }
        #expect(throws: EventLogError.beyondHead(requested: 11, head: 10)) {
            try fixture.log.root(size: 11)
        }
    }
}
