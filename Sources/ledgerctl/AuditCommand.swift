import ArgumentParser
import LedgerClient
import LedgerJSON
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
            event of the case's decision trail (every event `ledgerctl history case <ID>` lists, across the case's \
            requirement and contract streams, and every event of stream case-<ID>) and checks its inclusion proof \
            against the current signed root. All proofs are computed here (Protocols/proofs.md, "Verifying, step \
            by step"). With --witness (and --quorum K, default 1) the checkpoint audited must carry valid \
            cosignatures from at least K of the given witnesses (C2SP tlog-cosignature): the head's, or when it \
            is not cosigned yet the newest stored one that is (CHECKPOINTS), which the head must extend; that one \
            is then audited and saved. With --save, the checkpoint just \
            verified is kept for the next audit's --trusted. Exit \
            codes: 0 everything verifies; 1 something does not (said on stderr); 2 usage; 3 cannot connect.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "A signed checkpoint verified before (as `ledgerctl checkpoint --out` saves it).")
    var trusted: String

    @Option(name: .long, help: "The log's verifier key: its text, or a file holding it (ledgerd keygen's KEY.pub).")
    var key: String

    @Option(name: .customLong("case"), help: "Also verify every event of the case's decision trail.")
    var caseID: String?

    @Option(name: .long, help: "Once everything verifies, save the current signed checkpoint to this file.")
    var save: String?

    @OptionGroup var witnessOptions: WitnessOptions

    func run() async throws {
        let verifier = try VerifierKey.load(key)
        let policy = try witnessOptions.policy(log: verifier)
        let old: Checkpoint
        do {
            old = try Checkpoint(verifying: try InputFile.text(of: trusted), with: verifier)
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure.refused("the trusted checkpoint \(trusted) does not verify: \(error)")
        }
        try await connection.withLedger { ledger in
            var (new, note) = try await currentCheckpoint(ledger, verifier: verifier, trusted: old)
            if let policy { (new, note) = try await policy.newestCosigned(ledger, head: (new, note), trusted: old) }
            try await checkConsistency(ledger, from: old, to: new, verifier: verifier)
            if let caseID { try await checkCase(caseID, ledger, in: new) }
            if let save {
                let file = try ExportFile(path: save)
                file.output.write(note.utf8)
                try file.commit()
                Output.print("saved the checkpoint of size \(new.size) to \(save)")
            }
            Output.print("audit passed: \(new.origin) at size \(new.size) root \(new.root)")
        }
    }

    /// Fetches the head's checkpoint and verifies its signature, origin and size against the trusted one; returns it
    /// and its signed note.
    private func currentCheckpoint(
        _ ledger: LedgerConnection,
        verifier: NoteVerifier,
        trusted: Checkpoint
    ) async throws -> (Checkpoint, note: String) {
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
        return (new, note)
    }

    /// Demands a consistency proof and checks it against the two signed roots.
    private func checkConsistency(
        _ ledger: LedgerConnection,
        from old: Checkpoint,
        to new: Checkpoint,
        verifier: NoteVerifier
    ) async throws {
        try await CheckpointHistory(logKey: verifier).checkExtends(old, with: new, ledger, what: "trusted")
        Output.print("OK consistent with the trusted checkpoint of size \(old.size)")
    }

    /// Hashes every event of case `id`'s decision trail (the positions `QUERY audit case` lists, and stream
    /// `case-<id>`) and checks each inclusion proof against the checkpoint's root.
    private func checkCase(_ id: String, _ ledger: LedgerConnection, in checkpoint: Checkpoint) async throws {
        let positions = try await DecisionTrail.load(.case, id, ledger).positions
        var streams = Set<String>()
        var failures = [String]()
        let later = positions.filter { $0 > checkpoint.size }.count
        for position in positions.sorted() where position <= checkpoint.size {
            guard let event = try await ledger.readAll(from: position, limit: 1).events.first,
                event.position == position
            else {
                failures.append("the daemon sent no event at position \(position)")
                continue
            }
            let proof = try await ledger.inclusionProof(position: position, treeSize: checkpoint.size)
            do {
                try EventInclusion.verify(event, proof: proof, treeSize: checkpoint.size, root: checkpoint.root)
                streams.insert(event.stream)
            } catch {
                failures.append(error.message)
            }
        }
        for failure in failures { Output.print("FAIL \(failure)") }
        guard failures.isEmpty else {
            throw CommandFailure.refused("\(failures.count) events of case \(id) do not verify")
        }
        let verified = positions.count - later
        guard verified > 0 else { throw CommandFailure.refused("case \(id) has no events in the checkpoint") }
        let note = later > 0 ? " (\(later) later events are not in it yet)" : ""
        Output.print(
            "OK \(verified) events of case \(id) in \(streams.count) stream\(streams.count == 1 ? "" : "s") "
                + "(\(streams.sorted().joined(separator: ", "))) are in the checkpoint\(note)"
        )
    }
}
