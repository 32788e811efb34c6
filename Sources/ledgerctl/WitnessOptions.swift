import ArgumentParser
import LedgerProofs

/// `--witness` and `--quorum`, shared by `audit`, `monitor`, `bundle` and `verify-bundle`.
struct WitnessOptions: ParsableArguments {
    @Option(
        name: .customLong("witness"),
        help: "A witness's verifier key (its text or a file; once per witness) whose cosignature counts."
    )
    var witnesses: [String] = []

    @Option(name: .long, help: "How many of the --witness keys must have cosigned the checkpoint (default 1).")
    var quorum: Int?

    func validate() throws {
        guard let quorum else { return }
        guard !witnesses.isEmpty else { throw ValidationError("--quorum goes with --witness keys") }
        guard quorum >= 1, quorum <= witnesses.count else {
            throw ValidationError("--quorum must be from 1 to the number of --witness keys (\(witnesses.count))")
        }
    }

    /// The policy the options give with the log's key; nil without `--witness`.
    /// - Throws: a usage failure (exit 2) for a key that is not a witness key, or one witness given twice (each
    ///   counts once toward the quorum).
    func policy(log: NoteVerifier) throws(CommandFailure) -> WitnessPolicy? {
        guard !witnesses.isEmpty else { return nil }
        var keys = [CosignatureVerifier]()
        for argument in witnesses {
            let key = try WitnessKey.load(argument)
            guard !keys.contains(where: { $0.name == key.name || $0.publicKey == key.publicKey }) else {
                throw .usage("the witness \(key.name) is given twice; each witness counts once toward the quorum")
            }
            keys.append(key)
        }
        return WitnessPolicy(log: log, witnesses: keys, quorum: quorum ?? 1)
    }
}
