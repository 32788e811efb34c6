import Foundation
import LMDB
import LedgerJSON

extension EventLog {
    /// Checks the backup in `backup` offline and, when it is sound, makes it the new data directory `target`.
    ///
    /// The backup's `data.mdb` is copied into a temporary directory beside `target` (the backup itself is never
    /// written), opened, and every event is rehashed and the Merkle root recomputed (`verify`); the tree size and root
    /// must equal the manifest's position and root. Only then is the directory renamed to `target`, holding the data
    /// and an identity record for it (`LedgerIdentity`: the ledger id the data carries, the verified head), so the
    /// daemon starts on it. A backup of a primary promoted by replication is restored as not leading its epoch
    /// (`ReplicationEpoch`): the daemon on it takes appends once promoted (`PROMOTE`), never as a second primary. A `data.mdb` that is empty or shorter than its LMDB meta pages need is refused before it is
    /// copied.
    /// - Parameters:
    ///   - backup: a backup directory holding `data.mdb` and `manifest.json`.
    ///   - target: the new data directory: it must not exist, or be an empty directory.
    ///   - progress: called with the number of events verified so far.
    /// - Returns: the backup's manifest, now verified.
    /// - Throws: `BackupError.badManifest`, `.mismatch`, `.exists`, `.io`, `.storageFull`, or `.log` with the
    ///   `EventLogError.integrity` naming the first bad position or `.damaged` naming a truncated or empty file.
    public static func restore(
        backup: String,
        to target: String,
        progress: (UInt64) -> Void = { _ in }
    ) throws(BackupError) -> BackupManifest {
        let manifest = try readManifest(in: backup)
        let data = "\(backup)/\(BackupManifest.dataFileName)"
        let size = try BackupFiles.size(of: data)
        guard size == manifest.bytes else {
            throw .mismatch("\(data) has \(size) bytes, the manifest says \(manifest.bytes)")
        }
        try checkPages(of: data)
        if BackupFiles.exists(target), !BackupFiles.isEmptyDirectory(target) {
            throw .exists(target)
        }
        let (parent, name) = BackupFiles.split(target)
        let temporary = try BackupFiles.makeTemporaryDirectory(in: parent, prefix: ".\(name).restoring")
        do throws(BackupError) {
            try BackupFiles.copyFile(data, to: "\(temporary)/\(BackupManifest.dataFileName)")
            try check(copyIn: temporary, against: manifest, progress: progress)
            if BackupFiles.exists(target) { rmdir(target) }
            try BackupFiles.rename(temporary, to: target)
            return manifest
        } catch {
            BackupFiles.remove(temporary)
            throw error
        }
    }

    /// Refuses a backup's data file that is empty or shorter than its LMDB meta pages need, before it is copied.
    private static func checkPages(of data: String) throws(BackupError) {
        let contents: DataFileCheck.Contents
        do {
            contents = try DataFileCheck.check(data)
        } catch {
            throw .log(.damaged(error.description))
        }
        guard case .sound = contents else { throw .log(.damaged("\(data) is empty")) }
    }

    /// Reads and parses `manifest.json` in `backup`.
    public static func readManifest(in backup: String) throws(BackupError) -> BackupManifest {
        let path = "\(backup)/\(BackupManifest.fileName)"
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw .badManifest("cannot read \(path)")
        }
        do {
            return try BackupManifest(json: try JSONParser.parse(Array(contents)))
        } catch let error as BackupError {
            throw error
        } catch {
            throw .badManifest("\(path) is not valid JSON: \(error)")
        }
    }

    private static func check(
        copyIn directory: String,
        against manifest: BackupManifest,
        progress: (UInt64) -> Void
    ) throws(BackupError) {
        let report: VerifyReport
        do {
            let log = try EventLog(configuration: Configuration(directory: directory))
            guard log.head.position == manifest.position else {
                throw BackupError.mismatch(
                    "the copy's head is position \(log.head.position), the manifest says \(manifest.position)"
                )
            }
            report = try log.verify(progress: progress)
            // A copy never leads by itself: promoted, or following, the daemon on it takes appends only when told.
            if let epoch = log.epoch, epoch.leads {
                try log.record(ReplicationEpoch(number: epoch.number, leads: false))
            }
        } catch let error as BackupError {
            throw error
        } catch let error as EventLogError {
            throw .log(error)
        } catch {
            throw .io("\(error)")
        }
        guard report.size == manifest.position, report.root.description == manifest.root else {
            throw .mismatch(
                "the copy verifies to size \(report.size) and root \(report.root), "
                    + "the manifest says position \(manifest.position) and root \(manifest.root)"
            )
        }
    }
}
