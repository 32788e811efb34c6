import ArgumentParser

/// The options every `ledger-bench` command has: the seed its content comes from and how it prints.
struct BenchOptions: ParsableArguments {
    @Option(help: "Seed for deterministic content: the same seed gives the same events.")
    var seed: UInt64 = 42

    @Flag(help: "Print JSON instead of a table.")
    var json = false
}
