import LedgerClient
import LedgerProofs

/// The checks a witness and a monitor make of a log's checkpoints: each verifies with the log's key, and each new one
/// extends the last one kept.
struct CheckpointHistory {
    /// The log's key.
    let logKey: NoteVerifier

    /// The head's signed checkpoint (`CHECKPOINT`): its note as served, parsed, and its checkpoint, once the log's
    /// key verifies it.
    /// - Throws: a failure (exit 1) when the daemon signs nothing or the note does not verify.
    func head(_ ledger: LedgerConnection) async throws -> (note: String, signed: SignedNote, checkpoint: Checkpoint) {
        guard let note = try await ledger.checkpoint().note else {
            throw CommandFailure.refused("the ledger sent an unsigned checkpoint: it has no signing key")
        }
        let (signed, checkpoint) = try verified(note, what: "the ledger's checkpoint")
        return (note, signed, checkpoint)
    }

    /// The note parsed and its checkpoint, once the log's key verifies it.
    /// - Throws: a failure (exit 1) naming `what` when it does not.
    func verified(_ note: String, what: String) throws(CommandFailure) -> (SignedNote, Checkpoint) {
        do {
            let signed = try SignedNote(parsing: note)
            try signed.verify(with: logKey)
            return (signed, try Checkpoint(parsing: signed.text))
        } catch {
            throw .refused("\(what) does not verify with the log's key: \(error)")
        }
    }

    /// Refuses `new` unless it extends `old`: same origin, no smaller, the same root at the same size, and at a
    /// larger size a consistency proof between the two roots that verifies (skipped with `proved`, when the caller
    /// has recomputed the new root from the events itself).
    /// - Throws: a failure (exit 1) naming the fault: a split view, a shrunk or rewritten log, another origin.
    func checkExtends(
        _ old: Checkpoint,
        with new: Checkpoint,
        _ ledger: LedgerConnection,
        what: String,
        proved: Bool = false
    ) async throws {
        guard new.origin == old.origin else {
            throw CommandFailure.refused("the checkpoint is of \(new.origin), but \(what) is of \(old.origin)")
        }
        guard new.size >= old.size else {
            throw CommandFailure.refused("the log shrank from \(old.size) events, \(what), to \(new.size)")
        }
        if new.size == old.size {
            guard new.root == old.root else {
                throw CommandFailure.refused(
                    "SPLIT VIEW: two trees of size \(new.size) signed by the log, root \(old.root) \(what) and now "
                        + "\(new.root); keep both notes as evidence"
                )
            }
            return
        }
        guard !proved else { return }
        let proof = try await ledger.consistencyProof(from: old.size, to: new.size)
        do {
            guard proof.oldSize == old.size, proof.newSize == new.size else {
                throw ProofError.wrongProofLength(proof.path.count)
            }
            try MerkleProofs.verifyConsistency(
                oldSize: old.size,
                newSize: new.size,
                oldRoot: old.root,
                newRoot: new.root,
                proof: proof.path
            )
        } catch {
            throw CommandFailure.refused(
                "the tree of size \(new.size) does not extend the one of size \(old.size) \(what) (\(error)): history "
                    + "was rewritten or split; keep both notes as evidence"
            )
        }
    }
}
