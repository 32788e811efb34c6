import DurableFiles
import LedgerJSON

#if canImport(Glibc)
import Glibc
#endif

extension LedgerIdentity {
    /// The record in `directory`, or nil when there is none (or no directory).
    /// - Throws: `EventLogError.damaged` when the file cannot be read or is not a valid record.
    static func read(in directory: String) throws(EventLogError) -> LedgerIdentity? {
        let path = "\(directory)/\(fileName)"
        let read: [UInt8]?
        do {
            read = try FileBytes.read(path, limit: 65536)
        } catch {
            throw .damaged(error.description)
        }
        guard let bytes = read else { return nil }
        guard let json = try? JSONParser.parse(bytes), let identity = LedgerIdentity(json: json) else {
            throw .damaged(
                "\(path) is not a valid identity record; restore it from a backup of the data directory, or start "
                    + "with --start-new-ledger to write a new one for the data that is there"
            )
        }
        return identity
    }

    /// Replaces the record in `directory` atomically: a temporary file written and flushed, renamed over the record,
    /// then the directory flushed.
    /// - Parameter mode: the file's permissions (those of the data files).
    /// - Throws: `EventLogError.storage` naming the path and the system's reason.
    func write(in directory: String, mode: UInt32) throws(EventLogError) {
        let bytes = json(updated: RecordedTime.now().description).canonicalBytes + [0x0A]
        do {
            try FileBytes.replace("\(directory)/\(Self.fileName)", with: bytes, mode: mode)
        } catch {
            throw error.isStorageFull ? .storageFull(error.description) : .storage(error.description)
        }
    }
}
