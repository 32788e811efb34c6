import ArgumentParser
import LedgerClient

/// `ledgerctl checkpoint`: prints or saves the daemon's signed checkpoint.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print or save the daemon's signed checkpoint (a C2SP signed note) of the head or a size.",
        discussion: """
            Save one with --out to audit against later (`ledgerctl audit --trusted FILE`). Nothing is verified \
            here. A daemon without a signing key has only size and root to give: they are printed, and --out \
            fails (exit 1).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "The tree size (default: the head, signed now if need be).")
    var size: UInt64?

    @Option(name: .long, help: "Write the signed note to this file instead of stdout.")
    var out: String?

    func run() async throws {
        let checkpoint = try await connection.withLedger { try await $0.checkpoint(size: size) }
        guard let note = checkpoint.note else {
            guard out == nil else {
                throw CommandFailure.refused("the daemon has no signing key: checkpoint \(checkpoint.size) is unsigned")
            }
            Output.print("size \(checkpoint.size)")
            Output.print("root \(checkpoint.root)")
            Output.print("unsigned: the daemon has no signing key (checkpoints.keyFile)")
            return
        }
        let file = try ExportFile(path: out)
        file.output.write(note.utf8)
        try file.commit()
        if let out { Output.error("saved the checkpoint of size \(checkpoint.size) to \(out)") }
    }
}
