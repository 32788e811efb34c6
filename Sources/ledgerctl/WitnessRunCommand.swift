import ArgumentParser
import KeyFiles
import LedgerClient
import LedgerProofs

#if canImport(Glibc)
import Glibc
#endif

/// `ledgerctl witness [run] --key KEY --log-key LOG.pub --state DIR [--once]`: cosigns the ledger's checkpoints.
struct WitnessRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Cosign the ledger's latest checkpoint once it is proved to extend the last one cosigned.",
        discussion: """
            Each round fetches the signed checkpoint of the head and checks its signature with --log-key. When \
            --state holds a checkpoint cosigned before, the new one must have the same origin, no smaller size, \
            the same root at the same size, and at a larger size a consistency proof from the old one that \
            verifies. Then the witness saves it in --state, cosigns it (the daemon's COSIGN, which needs the \
            witness role) and prints one line. Anything inconsistent is refused: nothing is cosigned, the state \
            is kept, a line saying why goes to stderr and the exit code is 1. --once does one round (for a \
            timer); otherwise a round runs every --interval seconds, and a lost connection is retried at the \
            next. Exit codes: 0 cosigned; 1 refused; 2 usage; 3 cannot connect (with --once).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "The witness's private key file (ledgerctl witness keygen).")
    var key: String

    @Option(name: .customLong("log-key"), help: "The ledger's verifier key: its text, or a file holding it.")
    var logKey: String

    @Option(name: .long, help: "The witness's state directory: it keeps the last checkpoint cosigned.")
    var state: String

    @Flag(name: .long, help: "Do one round and exit.")
    var once = false

    @Option(name: .long, help: "Seconds between rounds without --once.")
    var interval: Int = 60

    func validate() throws {
        guard (1...86_400).contains(interval) else { throw ValidationError("--interval must be 1 to 86400 seconds") }
    }

    func run() async throws {
        let cosigner: Cosigner
        do {
            cosigner = try SigningKeyFile.loadWitness(key)
        } catch {
            if case .io = error { throw CommandFailure.usage("cannot open \(error)") }
            throw CommandFailure.usage("\(error)")
        }
        let history = CheckpointHistory(logKey: try VerifierKey.load(logKey))
        let directory = StateDirectory(state)
        try directory.lock()
        let witness = Witness(cosigner: cosigner, history: history, state: directory)
        while true {
            do {
                Output.print(try await connection.withLedger { try await witness.round($0) })
            } catch let failure as CommandFailure where failure.exitCode == 1 {
                throw CommandFailure.refused("REFUSED to cosign: \(failure.message)")
            } catch {
                guard !once else { throw error }
                Output.error("ledgerctl witness: \(CommandFailure(error, parserMessage: "\(error)", parserCode: 1))")
            }
            if once { return }
            try await Task.sleep(for: .seconds(interval))
        }
    }
}
