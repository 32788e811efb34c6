import LedgerClient
import LedgerProofs

#if canImport(Glibc)
import Glibc
#endif

/// One witness: cosigns a checkpoint only when it verifies with the log's key and extends the last one cosigned
/// (C2SP tlog-witness's rule), keeping that last one in its state.
struct Witness {
    let cosigner: Cosigner
    let logKey: NoteVerifier
    let state: WitnessState

    /// Fetches the head's signed checkpoint, checks it against the state, saves it, cosigns it and submits the
    /// cosignature; returns the line to print.
    /// - Throws: a failure (exit 1) saying why the checkpoint is refused; connection failures.
    func round(_ ledger: LedgerConnection) async throws -> String {
        guard let note = try await ledger.checkpoint().note else {
            throw CommandFailure.refused("the ledger sent an unsigned checkpoint: it has no signing key")
        }
        let (signed, checkpoint) = try verified(note, what: "the ledger's checkpoint")
        if let saved = try state.load() {
            let (_, previous) = try verified(saved, what: "the checkpoint in the witness state")
            try await checkExtends(previous, with: checkpoint, ledger)
        }
        try state.save(note)
        let now = UInt64(clamping: Int64(time(nil)))
        let cosignature: SignedNote.Signature
        do {
            cosignature = try cosigner.cosign(signed, time: now)
        } catch {
            throw CommandFailure.refused("cannot cosign: \(error)")
        }
        let (_, signatures) = try await ledger.cosign(size: checkpoint.size, cosignature)
        return "cosigned \(checkpoint.origin) at size \(checkpoint.size) root \(checkpoint.root) as \(cosigner.name) "
            + "(time \(now); the note has \(signatures) signatures)"
    }

    /// The note parsed and its checkpoint, once the log's key verifies it.
    private func verified(_ note: String, what: String) throws(CommandFailure) -> (SignedNote, Checkpoint) {
        do {
            let signed = try SignedNote(parsing: note)
            try signed.verify(with: logKey)
            return (signed, try Checkpoint(parsing: signed.text))
        } catch {
            throw .refused("\(what) does not verify with the log's key: \(error)")
        }
    }

    /// Refuses `new` unless it extends `old`: same origin, no smaller, the same root at the same size, and a
    /// consistency proof that verifies between the two roots.
    private func checkExtends(_ old: Checkpoint, with new: Checkpoint, _ ledger: LedgerConnection) async throws {
        guard new.origin == old.origin else {
            throw CommandFailure.refused("the checkpoint is of \(new.origin), but this witness cosigns \(old.origin)")
        }
        guard new.size >= old.size else {
            throw CommandFailure.refused("the log shrank from \(old.size) events, cosigned before, to \(new.size)")
        }
        if new.size == old.size {
            guard new.root == old.root else {
                throw CommandFailure.refused(
                    "SPLIT VIEW: two trees of size \(new.size) signed by the log, root \(old.root) cosigned before "
                        + "and now \(new.root); keep both notes as evidence"
                )
            }
            return
        }
        let proof = try await ledger.consistencyProof(from: old.size, to: new.size)
        do {
            try MerkleProofs.verifyConsistency(
                oldSize: old.size,
                newSize: new.size,
                oldRoot: old.root,
                newRoot: new.root,
                proof: proof.path
            )
        } catch {
            throw CommandFailure.refused(
                "the tree of size \(new.size) does not extend the one of size \(old.size) cosigned before (\(error)): "
                    + "history was rewritten or split; keep both notes as evidence"
            )
        }
    }
}
