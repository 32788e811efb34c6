import ArgumentParser
import LedgerClient

/// `ledgerctl promote`: makes a follower the primary of the next replication epoch (the failover step of
/// ops/RUNBOOK.md).
struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Make the follower at --socket the primary (the next replication epoch); needs the ops role.",
        discussion: """
            The follower stops following, records the next epoch durably and takes appends at once. The primary it \
            followed is told (fenced) as soon as it can be reached, and takes no more appends. Promote the follower \
            with the highest position (ledgerctl status on each); see ops/RUNBOOK.md, "Failover".
            """
    )

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let answer = try await connection.withLedger { ledger in try await ledger.promote() }
        let epoch = answer["epoch"]?.int64Value ?? 0
        let position = answer["position"]?.int64Value ?? 0
        Output.print("promoted: \(connection.socketPath) is the primary of epoch \(epoch) at position \(position)")
        Output.print("root \(answer["root"]?.stringValue ?? "?")")
    }
}
