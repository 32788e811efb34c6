import EventLog
import Foundation

extension LedgerMetrics {
    /// The Unix time the newest complete backup in `directory` was written (its manifest's modification time), so
    /// that `ledger_backup_last_success_timestamp_seconds` survives a restart; nil when there is none or the directory
    /// cannot be read. Hidden entries (partial copies, the lock file) are skipped.
    static func newestBackupTime(in directory: String) -> Double? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        var newest: Double?
        for name in names where !name.hasPrefix(".") {
            var status = stat()
            guard stat("\(directory)/\(name)/\(BackupManifest.fileName)", &status) == 0 else { continue }
            let time = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
            newest = max(newest ?? time, time)
        }
        return newest
    }
}
