import LedgerProofs
import Testing

/// What an audit catches: a log that changes one event and recomputes its tree can no longer prove consistency
/// with a checkpoint signed before the change, nor prove the changed event against it.
@Suite("Rewritten history")
struct RewrittenHistoryTests {
    @Test("a log rewritten at one position fails consistency with an earlier signed checkpoint")
    func rewrittenHistory() throws {
        let signer = try CheckpointSigner(privateKeyText: KeyFile.generate(name: "ledger.example.org/audit").privateKey)
        let original = syntheticLeaves(300)
        let trustedNote = try signer.sign(
            Checkpoint(origin: signer.name, size: 200, root: MerkleProofs.subtreeRoot(0..<200, leaves: original))
        ).formatted
        let trusted = try Checkpoint(verifying: trustedNote, with: signer.verifier)

        var rewritten = original
        rewritten[136] = .leaf(Array("position 137, changed".utf8))
        let newRoot = try MerkleProofs.subtreeRoot(0..<300, leaves: rewritten)
        let proof = try MerkleProofs.consistencyProof(oldSize: 200, newSize: 300, leaves: rewritten)
        #expect(throws: ProofError.self) {
            try MerkleProofs.verifyConsistency(
                oldSize: trusted.size,
                newSize: 300,
                oldRoot: trusted.root,
                newRoot: newRoot,
                proof: proof.path
            )
        }
        // The changed event, proved in the rewritten tree, does not reach the trusted root either.
        let inclusion = try MerkleProofs.inclusionProof(index: 136, treeSize: 200, leaves: rewritten)
        #expect(throws: ProofError.self) {
            try MerkleProofs.verifyInclusion(
                leafHash: rewritten[136],
                index: 136,
                treeSize: 200,
                proof: inclusion.path,
                root: trusted.root
            )
        }
        // The honest log passes the same checks.
        try MerkleProofs.verifyConsistency(
            oldSize: trusted.size,
            newSize: 300,
            oldRoot: trusted.root,
            newRoot: MerkleProofs.subtreeRoot(0..<300, leaves: original),
            proof: MerkleProofs.consistencyProof(oldSize: 200, newSize: 300, leaves: original).path
        )
    }
}
