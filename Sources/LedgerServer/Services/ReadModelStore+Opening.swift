import Foundation
import Logging
import ReadModels

extension ReadModelStore {
    /// The read models' directory inside the data directory.
    static func directory(in dataDirectory: String) -> String { dataDirectory + "/read-models" }

    /// Opens the read models in `<data>/read-models` (an owner-only directory, created when missing). Everything in
    /// them is derived from the log, so a store that cannot be opened (damaged, say) is removed and made afresh; nil
    /// when even that fails, and the queries across the log then answer `INTERNAL`. A connection holds at most one snapshot (its commands
    /// run one at a time), so the store has a reader slot for each of `maxConnections`: no client can take every slot.
    static func open(in dataDirectory: String, maxConnections: Int, logger: Logger) -> ReadModelStore? {
        let path = directory(in: dataDirectory)
        let files = FileManager.default
        do {
            if !files.fileExists(atPath: path) {
                try files.createDirectory(
                    atPath: path,
                    withIntermediateDirectories: false,
                    attributes: [.posixPermissions: 0o700]
                )
            }
        } catch {
            logger.error(
                "cannot create the read models' directory",
                metadata: ["path": "\(path)", "error": "\(error)"]
            )
            return nil
        }
        do {
            return try ReadModelStore(path: path, snapshots: maxConnections)
        } catch {
            logger.warning(
                "cannot open the read models; making them afresh from the projections",
                metadata: ["path": "\(path)", "error": "\(error)"]
            )
        }
        do {
            for file in ["data.mdb", "lock.mdb"] where files.fileExists(atPath: path + "/" + file) {
                try files.removeItem(atPath: path + "/" + file)
            }
            return try ReadModelStore(path: path, snapshots: maxConnections)
        } catch {
            logger.error(
                "cannot make the read models afresh; queries across the log cannot be answered",
                metadata: ["path": "\(path)", "error": "\(error)"]
            )
            return nil
        }
    }
}
