import LedgerClient
import LedgerProofs

#if canImport(Glibc)
import Glibc
#endif

/// One witness: cosigns a checkpoint only when it verifies with the log's key and extends the last one cosigned
/// (C2SP tlog-witness's rule), keeping that last one in its state.
struct Witness {
    let cosigner: Cosigner
    let history: CheckpointHistory
    let state: StateDirectory

    /// Fetches the head's signed checkpoint, checks it against the state, saves it, cosigns it and submits the
    /// cosignature; returns the line to print.
    /// - Throws: a failure (exit 1) saying why the checkpoint is refused; connection failures.
    func round(_ ledger: LedgerConnection) async throws -> String {
        let (note, signed, checkpoint) = try await history.head(ledger)
        if let saved = try state.read("checkpoint") {
            let (_, previous) = try history.verified(saved, what: "the checkpoint in the witness state")
            try await history.checkExtends(previous, with: checkpoint, ledger, what: "cosigned before")
        }
        try state.write("checkpoint", note)
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
}
