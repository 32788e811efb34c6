import ArgumentParser
import LedgerClient
import LedgerJSON
import LedgerProofs

/// `ledgerctl monitor --state DIR --key KEY [--rehash] [--witness W.pub ... [--quorum K]] [--interval S]`.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Check that the log only ever grows: each run, the signed checkpoint must extend the last one.",
        discussion: """
            Keeps the last checkpoint it verified in --state. Each run fetches the head's signed checkpoint, \
            verifies it with --key and demands a consistency proof from the last one (a first run keeps the \
            checkpoint it finds). With --rehash it also reads every event since then (the whole log on a first \
            run), hashes each into its leaf and recomputes the root from the tree's frontier it keeps, which must \
            equal the signed root. With --witness (and --quorum, default 1) the checkpoint it checks must be \
            cosigned: the newest one with a quorum. Any inconsistency is an alert: a line starting ALERT on \
            stderr and exit 1, the state kept. Without --interval it runs once (for a timer, as \
            ops/systemd/ledger-monitor.timer does); with it, every S seconds. Exit codes: 0 consistent; 1 alert; \
            2 usage; 3 cannot connect (when running once).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "The monitor's state directory: the last checkpoint verified (and the tree).")
    var state: String

    @Option(name: .long, help: "The log's verifier key: its text, or a file holding it (ledgerd keygen's KEY.pub).")
    var key: String

    @Flag(name: .long, help: "Also rehash every new event and recompute the signed root from them.")
    var rehash = false

    @OptionGroup var witnessOptions: WitnessOptions

    @Option(name: .long, help: "Run every this many seconds instead of once.")
    var interval: Int?

    func validate() throws {
        if let interval, !(1...86_400).contains(interval) {
            throw ValidationError("--interval must be 1 to 86400 seconds")
        }
    }

    func run() async throws {
        let log = try VerifierKey.load(key)
        let directory = StateDirectory(state)
        try directory.lock()
        let monitor = LogMonitor(
            history: CheckpointHistory(logKey: log),
            policy: try witnessOptions.policy(log: log),
            rehash: rehash,
            state: directory
        )
        while true {
            do {
                Output.print(try await connection.withLedger { try await monitor.run($0) })
            } catch let failure as CommandFailure where failure.exitCode == 1 {
                throw CommandFailure.refused("ALERT: \(failure.message)")
            } catch {
                guard interval != nil else { throw error }
                Output.error("ledgerctl monitor: \(CommandFailure(error, parserMessage: "\(error)", parserCode: 1))")
            }
            guard let interval else { return }
            try await Task.sleep(for: .seconds(interval))
        }
    }
}
