import ArgumentParser
import KeyFiles
import LedgerServer

#if canImport(Glibc)
import Glibc
#endif

/// `ledgerd keygen`: creates the checkpoint signing key.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create a checkpoint signing key (Ed25519) for checkpoints.keyFile.",
        discussion: """
            Writes the private key to --key-file with mode 0600 (never overwriting a file) and the verifier key \
            for auditors to <key-file>.pub, and prints the verifier key. Exit codes: 0 created, 1 not created.
            """
    )

    @Option(name: .long, help: "Where to write the private key; <key-file>.pub gets the verifier key.")
    var keyFile: String

    @Option(
        name: .long,
        help: """
            The key name, by convention the log's origin: a schema-less URL without spaces or + \
            (default: <hostname>/commissioning-ledger).
            """
    )
    var name: String?

    func run() throws {
        do {
            print(try SigningKeyFile.create(at: keyFile, name: name ?? SigningKeyFile.defaultName))
        } catch {
            var standardError = StandardError()
            print("ledgerd keygen: \(error)", to: &standardError)
            throw ExitCode(1)
        }
    }
}
