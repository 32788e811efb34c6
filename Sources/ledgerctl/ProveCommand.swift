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
            to the root, which must also be CHECKPOINT's root for that size when there is one. Prints OK and the \
            root: compare it with a checkpoint you trust, or use `ledgerctl audit`, which checks the signature too. \
            Exits 1 when the proof does not verify.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The event's position (1 is the first event).")
    var position: UInt64

    @Option(name: .long, help: "The tree size to prove against (default: the head).")
    var size: UInt64?

    func validate() throws {
        if position < 1 { throw ValidationError("positions start at 1") }
    }

    func run() async throws {
        try await connection.withLedger { ledger in
            let proof = try await ledger.inclusionProof(position: position, treeSize: size)
            guard let event = try await ledger.readAll(from: position, limit: 1).events.first,
                event.position == position
            else { throw CommandFailure.refused("the daemon returned no event at position \(position)") }
            try EventInclusion.verify(event, proof: proof, treeSize: proof.treeSize, root: proof.root)
            do {
                let checkpoint = try await ledger.checkpoint(size: proof.treeSize)
                guard checkpoint.root == proof.root else {
                    throw CommandFailure.refused(
                        "PROVE's root \(proof.root) differs from CHECKPOINT's \(checkpoint.root) for size \(proof.treeSize)"
                    )
                }
            } catch let error as LedgerClientError where error.code == .notFound {
                // No checkpoint of that size was signed: the root stands on the proof alone.
            }
            Output.print(
                "OK event \(position) (\(event.stream) v\(event.version)) is leaf \(position - 1) of the tree of size "
                    + "\(proof.treeSize)"
            )
            Output.print("leaf \(MerkleHash.leaf(event.bytes))")
            Output.print("root \(proof.root)")
        }
    }
}
