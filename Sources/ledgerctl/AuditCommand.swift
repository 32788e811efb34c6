import ArgumentParser
import LedgerClient
import LedgerProofs

/// `ledgerctl audit`: checks, on this side and trusting nothing the daemon says, that the log's current signed
/// checkpoint extends one trusted before, and optionally that every event of a case is in it.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify the log against a checkpoint trusted before; exit 0 only when everything verifies.",
        discussion: """
            Verifies the trusted checkpoint and the daemon's current one with the verifier key, demands a \
            consistency proof between them and checks it against the two signed roots; with --case, hashes every \
            event of stream case-<ID> and checks its inclusion proof against the current signed root. All proofs \
            are computed here (Protocols/proofs.md, "Verifying, step by step"). Exit codes: 0 everything \
            verifies; 1 something does not (said on stderr); 2 usage; 3 cannot connect.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "A signed checkpoint verified before (as `ledgerctl checkpoint --out` saves it).")
    var trusted: String

    @Option(name: .long, help: "The log's verifier key: its text, or a file holding it (ledgerd keygen's KEY.pub).")
    var key: String

    @Option(name: .customLong("case"), help: "Also verify every event of stream case-<ID>.")
    var caseID: String?

    func run() async throws {
        let verifier = try VerifierKey.load(key)
        let old: Checkpoint
        do {
            old = try Checkpoint(verifying: try InputFile.text(of: trusted), with: verifier)
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure.refused("the trusted checkpoint \(trusted) does not verify: \(error)")
        }
        try await connection.withLedger { ledger in
            let new = try await currentCheckpoint(ledger, verifier: verifier, trusted: old)
            try await checkConsistency(ledger, from: old, to: new)
            if let caseID { try await checkCase("case-\(caseID)", ledger, in: new) }
            Output.print("audit passed: \(new.origin) at size \(new.size) root \(new.root)")
        }
    }

    /// Fetches the head's checkpoint and verifies its signature, origin and size against the trusted one.
    private func currentCheckpoint(
        _ ledger: LedgerConnection,
        verifier: NoteVerifier,
        trusted: Checkpoint
    ) async throws -> Checkpoint {
        guard let note = try await ledger.checkpoint().note else {
            throw CommandFailure.refused("the daemon sent an unsigned checkpoint: it has no signing key")
        }
        let new: Checkpoint
        do {
            new = try Checkpoint(verifying: note, with: verifier)
        } catch {
            throw CommandFailure.refused("the daemon's current checkpoint does not verify: \(error)")
        }
        guard new.origin == trusted.origin else {
            throw CommandFailure.refused("the current checkpoint is of \(new.origin), not \(trusted.origin)")
        }
        guard new.size >= trusted.size else {
            throw CommandFailure.refused("the log shrank from \(trusted.size) events to \(new.size)")
        }
        Output.print("OK checkpoint of size \(new.size) signed by \(verifier.name)")
        return new
    }

    /// Demands a consistency proof and checks it against the two signed roots.
    private func checkConsistency(_ ledger: LedgerConnection, from old: Checkpoint, to new: Checkpoint) async throws {
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
                "the log of size \(new.size) does not extend the trusted checkpoint of size \(old.size): history "
                    + "was rewritten (\(error)); keep both signed notes as evidence"
            )
        }
        Output.print("OK consistent with the trusted checkpoint of size \(old.size)")
    }

    /// Hashes every event of `stream` and checks its inclusion proof against the checkpoint's root.
    private func checkCase(_ stream: String, _ ledger: LedgerConnection, in checkpoint: Checkpoint) async throws {
        var next: UInt64 = 1
        var verified = 0
        var later = 0
        var failures = [String]()
        while true {
            let page = try await ledger.read(stream: stream, fromVersion: next, limit: ReadCommand.pageSize)
            for event in page.events {
                guard event.stream == stream, event.position >= 1 else {
                    failures.append("the daemon sent event \(event.position) of \(event.stream) for \(stream)")
                    continue
                }
                guard event.position <= checkpoint.size else {
                    later += 1
                    continue
                }
                let proof = try await ledger.inclusionProof(position: event.position, treeSize: checkpoint.size)
                do {
                    try EventInclusion.verify(event, proof: proof, treeSize: checkpoint.size, root: checkpoint.root)
                    verified += 1
                } catch {
                    failures.append(error.message)
                }
            }
            next = page.next
            if page.events.count < ReadCommand.pageSize { break }
        }
        for failure in failures { Output.print("FAIL \(failure)") }
        guard failures.isEmpty else {
            throw CommandFailure.refused("\(failures.count) events of \(stream) do not verify")
        }
        guard verified > 0 else { throw CommandFailure.refused("\(stream) has no events in the checkpoint") }
        let note = later > 0 ? " (\(later) later events are not in it yet)" : ""
        Output.print("OK \(verified) events of \(stream) are in the checkpoint\(note)")
    }
}
