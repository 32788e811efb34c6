import LedgerJSON

#if canImport(Glibc)
import Glibc
#endif

extension LedgerIdentity {
    /// The record in `directory`, or nil when there is none (or no directory).
    /// - Throws: `EventLogError.damaged` when the file cannot be read or is not a valid record.
    static func read(in directory: String) throws(EventLogError) -> LedgerIdentity? {
        let path = "\(directory)/\(fileName)"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw .damaged("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 65536 {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw .damaged("cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
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
        let path = "\(directory)/\(Self.fileName)"
        let temporary = path + ".partial"
        let bytes = json(updated: RecordedTime.now().description).canonicalBytes + [0x0A]
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw failure("cannot create \(temporary)") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                let error = failure("cannot write \(temporary)")
                close(descriptor)
                unlink(temporary)
                throw error
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            let error = failure("cannot flush \(temporary)")
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = failure("cannot rename \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw failure("cannot open \(directory)") }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw failure("cannot flush \(directory)") }
    }

    private func failure(_ what: String) -> EventLogError {
        let code = errno
        let message = "\(what): \(String(cString: strerror(code)))"
        return code == ENOSPC || code == EDQUOT ? .storageFull(message) : .storage(message)
    }
}
