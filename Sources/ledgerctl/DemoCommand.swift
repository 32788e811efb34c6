import ArgumentParser
import CommissioningScenario
import LedgerClient

/// `ledgerctl demo`: loads a generated commissioning scenario and says what to try next.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load a realistic generated commissioning scenario into the daemon, then print what to try next.",
        discussion: """
            The same --seed and --cases always give the same events, ids included, so running the demo again is \
            harmless: the ledger recognises the events as already stored. A ledger whose entities came from \
            elsewhere (another seed, real data) is refused with exit 1.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "The generator's seed.")
    var seed: UInt64 = 1

    @Option(
        name: .long,
        help: "How many cases to run through their life cycle (about 41 events each; up to 250000, ten million events)."
    )
    var cases: Int = 40

    func validate() throws {
        if !(1...250_000).contains(cases) { throw ValidationError("--cases must be 1 to 250000") }
    }

    func run() async throws {
        var scenario = Scenario(
            seed: seed,
            size: ScenarioSize(commissioners: 3, providers: 24, consortia: 3, cases: cases, concurrentCases: 8)
        )
        // The first event, from a copy: the events are generated as they are sent, never all held at once.
        var probe = scenario
        let first = probe.next()
        var landmarks = ScenarioLandmarks()
        try await connection.withLedger { ledger in
            try await Self.refuseForeignData(ledger, first: first)
            var progress = Progress("loaded")
            let loaded = try await DemoLoader(ledger: ledger).load(
                &scenario,
                observe: { landmarks.observe($0) },
                progress: &progress
            )
            // Wait (up to the server's 5 seconds) until the projections reflect the load, so the commands printed
            // below see it; a timeout only means they may lag a moment.
            if let commissioner = landmarks.commissioner {
                _ = try? await ledger.query(["market", "commissioner", commissioner], after: loaded.last)
            }
            var summary = "loaded \(Format.count(loaded.appended)) events (seed \(seed), \(cases) cases)"
            if loaded.duplicates > 0 { summary += "; \(Format.count(loaded.duplicates)) were already stored" }
            Output.print(summary + "; the log is at position \(loaded.last)")
        }
        let commands = DemoGuide(landmarks: landmarks).commands
        Output.print("\nTry next:")
        let width = (commands.map(\.command.count).max() ?? 0) + 2
        for (command, shows) in commands {
            Output.print("  " + command + String(repeating: " ", count: width - command.count) + "# " + shows)
        }
    }

    /// Refuses a ledger whose first scenario stream holds an event other than the scenario's own.
    private static func refuseForeignData(
        _ ledger: LedgerConnection,
        first: ProposedDomainEvent?
    ) async throws(CommandFailure) {
        guard let first else { return }
        let stored: EventPage
        do {
            stored = try await ledger.read(stream: first.stream, limit: 1)
        } catch {
            throw CommandFailure(error)
        }
        if let event = stored.events.first, event.id != first.id {
            throw .refused(
                "the ledger already holds \(first.stream) from other data (not --seed with these sizes); "
                    + "run the demo against an empty ledger"
            )
        }
    }
}
