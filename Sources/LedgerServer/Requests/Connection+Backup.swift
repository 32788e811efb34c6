import EventLog
import Foundation
import LedgerJSON
import LedgerProtocol
import NIOPosix

extension Connection {
    /// `BACKUP <name>`: a hot, compacted copy of the log and its manifest in `<backup directory>/<name>/`, made on the
    /// thread pool while appends go on; `OK {"name","path","position","root","bytes"}` once it is in place.
    func backup(_ name: String, outbound: Outbound) async throws {
        let log = ports.log
        let directory = ports.configuration.resolvedBackupDirectory
        let server = "ledgerd \(LedgerDaemon.version)"
        let started = ContinuousClock.now
        let outcome = try await ports.backups.run {
            try await NIOThreadPool.singleton.runIfActive {
                Result { () throws(BackupError) in try log.backup(named: name, into: directory, server: server) }
            }
        }
        switch outcome {
        case .success(let manifest):
            let path = "\(directory)/\(manifest.name)"
            ports.metrics.backedUp(at: Date().timeIntervalSince1970)
            ports.logger.notice(
                "backup written",
                metadata: [
                    "path": "\(path)", "position": .stringConvertible(manifest.position), "root": "\(manifest.root)",
                    "bytes": .stringConvertible(manifest.bytes), "duration": "\(ContinuousClock.now - started)",
                ]
            )
            try await send(
                ok: [
                    "name": .string(manifest.name), "path": .string(path),
                    "position": .number(.init(manifest.position)), "root": .string(manifest.root),
                    "bytes": .number(.init(manifest.bytes)),
                ],
                to: outbound
            )
        case .failure(.invalidName):
            // The client's mistake, answered and not logged: the name may hold anything, control characters included.
            try await send(error: BackupError.invalidName(name).wire, to: outbound)
        case .failure(let error):
            if case .exists = error {} else { ports.metrics.backupFailed() }
            ports.logger.warning("backup failed", metadata: ["name": "\(name)", "error": "\(error)"])
            try await send(error: error.wire, to: outbound)
        }
    }
}
