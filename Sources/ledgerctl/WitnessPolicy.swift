import LedgerClient
import LedgerProofs

/// An auditor's witness policy: which witnesses count and how many of them must have cosigned a checkpoint.
struct WitnessPolicy {
    /// The log's key, which every checkpoint must verify with first.
    let log: NoteVerifier
    let witnesses: [CosignatureVerifier]
    let quorum: Int

    /// The witnesses whose cosignature of `note` verifies, with the time each cosigned.
    func cosigners(of note: SignedNote) -> [(name: String, time: UInt64)] {
        witnesses.compactMap { witness in (try? witness.verify(note)).map { (witness.name, $0) } }
    }

    /// The head's checkpoint when it has a quorum, else the largest stored checkpoint not smaller than `trusted`
    /// that does (`CHECKPOINTS`): a checkpoint signed after the witnesses' last round has no cosignatures yet.
    /// - Throws: a failure (exit 1) when no checkpoint since the trusted one has a quorum.
    func newestCosigned(
        _ ledger: LedgerConnection,
        head: (Checkpoint, note: String),
        trusted: Checkpoint
    ) async throws -> (Checkpoint, note: String) {
        var best: (checkpoint: Checkpoint, note: String, cosigners: [(name: String, time: UInt64)])?
        if let signed = try? SignedNote(parsing: head.note), case let cosigners = cosigners(of: signed),
            cosigners.count >= quorum
        {
            best = (head.0, head.note, cosigners)
        }
        var next = trusted.size
        while best == nil || best?.checkpoint.size != head.0.size {
            let page = try await ledger.checkpoints(from: next)
            for (_, note) in page.checkpoints {
                guard let signed = try? SignedNote(parsing: note), (try? signed.verify(with: log)) != nil,
                    let checkpoint = try? Checkpoint(parsing: signed.text), checkpoint.origin == trusted.origin,
                    checkpoint.size <= head.0.size
                else { continue }
                guard checkpoint.size != head.0.size || checkpoint.root == head.0.root else {
                    throw CommandFailure.refused(
                        "SPLIT VIEW: the daemon lists a checkpoint of size \(checkpoint.size) with root "
                            + "\(checkpoint.root), and its head of that size has root \(head.0.root); keep both notes"
                    )
                }
                let cosigners = cosigners(of: signed)
                if cosigners.count >= quorum, checkpoint.size >= best?.checkpoint.size ?? 0 {
                    best = (checkpoint, note, cosigners)
                }
            }
            guard !page.checkpoints.isEmpty, page.next > next, page.next <= head.0.size else { break }
            next = page.next
        }
        guard let best else {
            throw CommandFailure.refused(
                "no checkpoint since the trusted one (size \(trusted.size)) has cosignatures from \(quorum) of the "
                    + "\(witnesses.count) witnesses: the history you were shown may be yours alone (run the "
                    + "witnesses, or audit again after their next round)"
            )
        }
        if best.checkpoint.size < head.0.size {
            // The head must extend what the witnesses saw, or the daemon shows this auditor a history of its own.
            try await CheckpointHistory(logKey: log).checkExtends(
                best.checkpoint,
                with: head.0,
                ledger,
                what: "cosigned"
            )
            Output.print(
                "OK the newest checkpoint with a quorum is of size \(best.checkpoint.size) (the head's, of size "
                    + "\(head.0.size), is not cosigned yet); checking that one"
            )
        }
        let names = best.cosigners.map { "\($0.name) at \(Format.utc(seconds: Int(clamping: $0.time))) UTC" }
        Output.print(
            "OK \(best.cosigners.count) of \(witnesses.count) witnesses cosigned it (\(names.joined(separator: ", ")))"
        )
        return (best.checkpoint, best.note)
    }
}
