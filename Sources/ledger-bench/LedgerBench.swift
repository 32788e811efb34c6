import ArgumentParser

/// `ledger-bench`: measures what the ledger sustains on this machine, always beside a baseline from the same run.
@main
struct LedgerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger-bench",
        abstract: "Load generator and storage benchmark for the Commissioning Ledger.",
        subcommands: [
            StorageCommand.self, BaselineCommand.self, AppendCommand.self, ReadCommand.self, RebuildCommand.self,
            SubscribeCommand.self, ConsumeCommand.self, OpenCommand.self, SoakCommand.self, StalledCommand.self,
            QueryCommand.self, PeersCommand.self,
        ]
    )
}
