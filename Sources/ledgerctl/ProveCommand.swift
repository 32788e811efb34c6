import ArgumentParser
import LedgerClient
import LedgerProofs

/// `ledgerctl prove <position>`: fetches an event and its inclusion proof and checks the proof here.
struct ProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Check that the event at a position is in the Merkle tree, computing the proof on this side.",
        discussion: """
            Hashes the event's stored bytes (READALL <position> 1) into its leaf hash and walks the PROVE path up \
            to a root. With --key the root is the signed checkpoint's (of --size, default the head's), \
            whose signature is checked with the key first. Without --key the root is only the daemon's word, and \
            the output says so: compare it with a checkpoint you trust, or give --key. Exits 1 when the proof or \
            the signature does not verify, or no checkpoint of that size was signed.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The event's position (1 is the first event).")
    var position: UInt64

    @Option(name: .long, help: "The tree size to prove against (default: the head).")
    var size: UInt64?

    @Option(
        name: .long,
        help: "The log's verifier key (its text, or ledgerd keygen's KEY.pub): prove against a signed checkpoint."
    )
    var key: String?

    func validate() throws {
        if position < 1 { throw ValidationError("positions start at 1") }
    }

    func run() async throws {
        let verifier = try key.map(VerifierKey.load)
        try await connection.withLedger { ledger in
            var signed: Checkpoint?
            if let verifier { signed = try await signedCheckpoint(ledger, verifier: verifier) }
            let proof = try await ledger.inclusionProof(position: position, treeSize: signed?.size ?? size)
            guard let event = try await ledger.readAll(from: position, limit: 1).events.first,
                event.position == position
            else { throw CommandFailure.refused("the daemon returned no event at position \(position)") }
            let root = signed?.root ?? proof.root
            try EventInclusion.verify(event, proof: proof, treeSize: proof.treeSize, root: root)
            let what =
                "event \(position) (\(event.stream) v\(event.version)) is leaf \(position - 1) of the tree of size "
                + "\(proof.treeSize)"
            if let signed {
                Output.print("OK \(what), signed by \(signed.origin) (key \(verifier?.name ?? ""))")
            } else {
                Output.print("OK \(what), by the daemon's root alone: not checked against a signature (give --key)")
            }
            Output.print("leaf \(MerkleHash.leaf(event.bytes))")
            Output.print("root \(root)")
        }
    }

    /// The signed checkpoint of `size` (without `--size`, the head's, which the daemon signs if it has not), its
    /// signature checked.
    private func signedCheckpoint(_ ledger: LedgerConnection, verifier: NoteVerifier) async throws -> Checkpoint {
        let served = try await ledger.checkpoint(size: size)
        guard let note = served.note else {
            throw CommandFailure.refused(
                "no checkpoint of size \(served.size) was signed (the daemon has no signing key, or signs other sizes)"
            )
        }
        do {
            return try Checkpoint(verifying: note, with: verifier)
        } catch {
            throw CommandFailure.refused("the checkpoint of size \(served.size) does not verify with the key: \(error)")
        }
    }
}
