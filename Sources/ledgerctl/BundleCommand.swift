import ArgumentParser
import LedgerClient
import LedgerProofs

/// `ledgerctl bundle case|contract ID --key KEY --out FILE.json`: an evidence bundle to verify offline.
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write an evidence bundle of a case's or contract's decision trail, verifiable offline.",
        discussion: """
            The bundle (one JSON object, Protocols/proofs.md "Evidence bundles") holds every event of the trail \
            (as `audit --case` checks it) with its exact bytes, leaf hash and inclusion proof, and the signed \
            checkpoint they are proved in, with its cosignatures. With --witness and --quorum it uses the newest \
            checkpoint that quorum cosigned. ledgerctl verifies everything before writing, and writes nothing \
            when a check fails (exit 1). `ledgerctl verify-bundle` checks a bundle without the daemon.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "case or contract.")
    var scope: DecisionTrail.Scope

    @Argument(help: "Its id.")
    var id: String

    @Option(name: .long, help: "The log's verifier key: its text, or a file holding it (ledgerd keygen's KEY.pub).")
    var key: String

    @OptionGroup var witnessOptions: WitnessOptions

    @Option(name: .long, help: "The JSON file to write.")
    var out: String

    func run() async throws {
        let log = try VerifierKey.load(key)
        let policy = try witnessOptions.policy(log: log)
        let bundle = try await connection.withLedger { ledger in
            var (note, _, checkpoint) = try await CheckpointHistory(logKey: log).head(ledger)
            if let policy {
                let floor = try Checkpoint(origin: checkpoint.origin, size: 0, root: .emptyTree)
                (checkpoint, note) = try await policy.newestCosigned(ledger, head: (checkpoint, note), trusted: floor)
            }
            let positions = try await DecisionTrail.load(scope, id, ledger).positions.filter { $0 <= checkpoint.size }
            guard !positions.isEmpty else {
                throw CommandFailure.refused("\(scope.rawValue) \(id) has no events in the checkpoint")
            }
            var events = [ProvedEvent]()
            for position in positions { events.append(try await ProvedEvent.load(position, ledger, in: checkpoint)) }
            let cosigners = (try? SignedNote(parsing: note)).map { policy?.cosigners(of: $0) ?? [] } ?? []
            return EvidenceBundle(
                subject: "\(scope.rawValue) \(id)",
                checkpoint: note,
                logKey: Self.nameAndID(log.text),
                witnessKeys: cosigners.compactMap { cosigner in
                    policy?.witnesses.first { $0.name == cosigner.name }.map { Self.nameAndID($0.text) }
                },
                events: events
            )
        }
        let file = try ExportFile(path: out)
        file.output.write((bundle.json + "\n").utf8)
        try file.commit()
        Output.print("wrote \(out): \(bundle.subject), \(bundle.events.count) events with their inclusion proofs")
    }

    /// `name+<hex key id>`: a verifier key text without its public key.
    private static func nameAndID(_ key: String) -> String {
        key.split(separator: "+").prefix(2).joined(separator: "+")
    }
}

/// `ledgerctl verify-bundle FILE --key KEY [--witness W.pub ... --quorum K]`: checks a bundle offline.
struct VerifyBundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-bundle",
        abstract: "Verify an evidence bundle offline: the checkpoint's signature, cosignatures and every proof.",
        discussion: """
            Needs no daemon. Verifies the checkpoint with --key (and at least --quorum cosignatures from the \
            --witness keys), then hashes each event's bytes into its leaf and checks its inclusion proof against \
            the signed root. Exit codes: 0 everything verifies; 1 something does not (named on stderr); 2 usage.
            """
    )

    @Argument(help: "The bundle (ledgerctl bundle --out).")
    var file: String

    @Option(name: .long, help: "The log's verifier key: its text, or a file holding it.")
    var key: String

    @OptionGroup var witnessOptions: WitnessOptions

    func run() throws {
        let log = try VerifierKey.load(key)
        let policy = try witnessOptions.policy(log: log)
        let result = try EvidenceBundle.verify(try InputFile.text(of: file), key: log, witnesses: policy)
        let cosigned = result.cosigners.isEmpty ? "" : ", cosigned by \(result.cosigners.joined(separator: ", "))"
        Output.print(
            "OK \(result.events) events (the bundle says of \(result.subject)) in the checkpoint of size "
                + "\(result.checkpoint.size) of \(result.checkpoint.origin) signed by \(log.name)\(cosigned)"
        )
    }
}
