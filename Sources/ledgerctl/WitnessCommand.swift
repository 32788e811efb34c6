import ArgumentParser
import KeyFiles

/// `ledgerctl witness`: run a witness (the default), or make its key.
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Witness a ledger: cosign its checkpoints, each only once it is proved to extend the last one.",
        discussion: """
            A witness is run by a party other than the ledger's operator (internal audit, the regulator, a \
            neighbouring council) with its own key. Its cosignatures (C2SP tlog-cosignature) show auditors that \
            the ledger showed this witness the same history it showed them: a quorum of independent witnesses \
            makes a split view (two trees of one size, both signed by the log) detectable.
            """,
        subcommands: [WitnessRunCommand.self, WitnessKeygenCommand.self],
        defaultSubcommand: WitnessRunCommand.self
    )
}

/// `ledgerctl witness keygen`: creates a witness's cosigning key.
struct WitnessKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create a witness's cosigning key (Ed25519, C2SP tlog-cosignature).",
        discussion: """
            Writes the private key to --key-file with mode 0600 (never overwriting a file) and the verifier key \
            (signature type 0x04) to <key-file>.pub, and prints it: the ledger's operator lists it in \
            checkpoints.witnesses and auditors pass it to `ledgerctl audit --witness`. Exit codes: 0 created, \
            1 not created.
            """
    )

    @Option(name: .long, help: "Where to write the private key; <key-file>.pub gets the verifier key.")
    var keyFile: String

    @Option(name: .long, help: "The witness's name: a schema-less URL without spaces or +, e.g. audit.example.org/w1.")
    var name: String

    func run() throws {
        do {
            Output.print(try SigningKeyFile.createWitness(at: keyFile, name: name))
        } catch {
            throw CommandFailure.refused("\(error)")
        }
    }
}
