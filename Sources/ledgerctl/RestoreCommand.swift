import ArgumentParser
import EventLog

/// `ledgerctl restore <backup-dir> <new-data-dir>`: checks a backup offline and makes it a new data directory.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract:
            "Check a backup (every event rehashed, the Merkle root against its manifest) and make it a data directory.",
        discussion: """
            Works offline: no daemon is needed and the backup is never written. The new data directory must not exist \
            or be empty. Exits 1 naming the reason when the backup does not verify or does not match its manifest; \
            nothing is left behind then. Start ledgerd with --data-dir pointing at the new directory afterwards.
            """
    )

    @Argument(help: "The backup directory (holding data.mdb and manifest.json).")
    var backup: String

    @Argument(help: "The new data directory to create.")
    var dataDirectory: String

    func run() throws {
        var progress = Progress("verified")
        let manifest: BackupManifest
        do {
            manifest = try EventLog.restore(backup: backup, to: dataDirectory) { verified in
                progress.update(events: Int(verified), bytesDone: 0, bytesTotal: nil)
            }
        } catch {
            progress.finish()
            throw CommandFailure.refused("restore refused: \(error)")
        }
        progress.finish()
        Output.print("restored backup \(manifest.name) (made \(manifest.created)) into \(dataDirectory)")
        Output.print("verified \(manifest.position) events")
        Output.print("root \(manifest.root)")
    }
}
