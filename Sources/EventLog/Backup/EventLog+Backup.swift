import DurableFiles
import LMDB

#if canImport(Glibc)
import Glibc
import LedgerWire
#endif

extension EventLog {
    /// Writes a hot, compacted copy of the log (`mdb_env_copy2` with `MDB_CP_COMPACT`, in one read transaction, so
    /// appends go on meanwhile) and its `manifest.json` into `<directory>/<name>/`.
    ///
    /// The copy is made in a temporary directory beside the target, opened to read its head and Merkle root (so the
    /// manifest describes exactly the copied events), flushed, and renamed into place; a failure leaves nothing.
    /// Backups into one directory run one at a time (a lock file), and each first removes the partial copies that a
    /// backup killed part-way left behind. Every file has the live data file's mode.
    /// - Parameters:
    ///   - name: the backup's name: 1-128 characters `A-Z a-z 0-9 . _ : @ -`, starting with a letter or digit.
    ///   - directory: the backup directory (created if missing).
    ///   - server: the server name and version to record, such as `ledgerd 0.1.0`.
    /// - Returns: the manifest written.
    /// - Throws: `BackupError.invalidName`, `.exists` (nothing is overwritten), `.storageFull`, `.io`, `.log`.
    /// - Important: Blocks for as long as the copy takes; call it off the event loops.
    public func backup(named name: String, into directory: String, server: String) throws(BackupError) -> BackupManifest
    {
        guard Naming.isValid(name) else { throw .invalidName(name) }
        let target = "\(directory)/\(name)"
        try BackupFiles.makeDirectory(directory)
        let lock = try BackupFiles.lock(directory)
        defer { lock.map { _ = close($0) } }
        _ = BackupFiles.removePartials(in: directory)
        guard !BackupFiles.exists(target) else { throw .exists(target) }
        let temporary = try BackupFiles.makeTemporaryDirectory(in: directory, prefix: ".\(name).partial")
        var claimed = false
        do throws(BackupError) {
            do {
                // The copy holds every event answered before the backup was asked for.
                barrier.wait()
                try environment.copy(to: temporary, compact: true)
            } catch {
                let reason = "cannot copy the ledger into \(temporary): \(error)"
                throw (error as? LMDBError)?.isStorageFull == true ? BackupError.storageFull(reason) : .io(reason)
            }
            let head = try Self.head(ofCopyIn: temporary)
            let manifest = BackupManifest(
                name: name,
                position: head.position,
                root: head.root.description,
                created: RecordedTime.now().description,
                server: server,
                bytes: try BackupFiles.size(of: "\(temporary)/\(BackupManifest.dataFileName)")
            )
            try BackupFiles.write(
                manifest.json.canonicalBytes + [0x0A],
                to: "\(temporary)/\(BackupManifest.fileName)",
                mode: environment.dataFileMode
            )
            // Flushes the entries of `temporary` (best effort; its files are synced).
            try? FileBytes.syncDirectory(of: "\(temporary)/\(BackupManifest.fileName)")
            try BackupFiles.claim(target)
            claimed = true
            try BackupFiles.rename(temporary, to: target)
            return manifest
        } catch {
            if claimed { BackupFiles.unclaim(target) }
            BackupFiles.remove(temporary)
            throw error
        }
    }

    /// Removes the partial copies that backups killed part-way left in `directory` and returns their paths; none
    /// while a backup holds the directory's lock (it removes them itself). The daemon calls it at start.
    public static func removePartialBackups(in directory: String) throws(BackupError) -> [String] {
        guard BackupFiles.exists(directory), let lock = try BackupFiles.lock(directory, wait: false) else { return [] }
        defer { close(lock) }
        return BackupFiles.removePartials(in: directory)
    }

    /// Opens the copy in `directory` (nothing else uses it) and returns its head; removes the lock files and identity
    /// record that opening it created, so the directory holds only `data.mdb` (which carries the ledger id).
    static func head(ofCopyIn directory: String) throws(BackupError) -> Head {
        defer {
            BackupFiles.remove("\(directory)/lock.mdb")
            BackupFiles.remove("\(directory)/writer.lock")
            BackupFiles.remove("\(directory)/\(durablePointFileName)")
            BackupFiles.remove("\(directory)/\(LedgerIdentity.fileName)")
        }
        do {
            return try EventLog(configuration: Configuration(directory: directory)).head
        } catch {
            throw .log(error)
        }
    }
}
