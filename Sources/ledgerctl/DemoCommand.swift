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
            harmless: the ledger recognises the events as already stored. A ledger holding anything else (other \
            data, or a demo of another seed or size) is refused with exit 1 before anything is written: the log \
            is append-only, and half a demo would stay in it for ever.
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
        var landmarks = ScenarioLandmarks()
        try await connection.withLedger { ledger in
            try await Self.refuseUnlessPrefix(ledger, of: scenario)
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

    /// Refuses, before anything is written, a ledger whose log is not the beginning of `scenario`'s events (a copy is
    /// generated to compare, page by page: the events are never all held at once).
    private static func refuseUnlessPrefix(_ ledger: LedgerConnection, of scenario: Scenario) async throws {
        let head = try await ledger.hello().head
        var probe = scenario
        var position: UInt64 = 1
        while position <= head {
            let page = try await ledger.readAll(from: position, limit: 1000).events
            guard !page.isEmpty else { break }
            for stored in page {
                guard let expected = probe.next(), expected.id == stored.id else {
                    throw CommandFailure.refused(
                        "the ledger's event at position \(stored.position) (\(stored.stream)) is not this demo's: the "
                            + "demo only extends a ledger holding the same demo (the same --seed and --cases); "
                            + "run it against an empty ledger"
                    )
                }
                position = stored.position + 1
            }
        }
    }
}
