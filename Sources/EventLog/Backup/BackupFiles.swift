import DurableFiles
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The file operations of backups and restores, with errors that name the path and the system's reason.
enum BackupFiles {
    /// The directory holding `path` (`.` for a bare name) and `path`'s last component, trailing slashes ignored.
    ///
    /// Split here rather than with `NSString.deletingLastPathComponent`, which traps on a one-character relative path
    /// such as `r` in swift-corelibs-foundation.
    static func split(_ path: String) -> (parent: String, name: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
        let parent = trimmed[..<slash]
        return (parent.isEmpty ? "/" : String(parent), String(trimmed[trimmed.index(after: slash)...]))
    }

    /// Whether anything exists at `path` (without following a final symbolic link).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `path` is a directory with nothing in it.
    static func isEmptyDirectory(_ path: String) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
        return entries.isEmpty
    }

    /// Creates `path` and its missing parents (mode 0700: backups are the data, for the daemon's user alone).
    static func makeDirectory(_ path: String) throws(BackupError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw .io("cannot create \(path): \(reason(of: error))")
        }
    }

    /// Creates a new, uniquely named directory in `parent` whose name starts with `prefix` (mode 0700).
    static func makeTemporaryDirectory(in parent: String, prefix: String) throws(BackupError) -> String {
        var template = Array("\(parent)/\(prefix)-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw failure("cannot create a temporary directory in \(parent)")
        }
        let path = String(cString: created)
        chmod(path, 0o700)
        return path
    }

    /// The size of the file at `path` in bytes.
    static func size(of path: String) throws(BackupError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure("cannot read \(path)") }
        return Int(info.st_size)
    }

    /// Writes `bytes` to a new file at `path` with the permission bits `mode` (whatever the umask) and flushes it.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(BackupError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("cannot create \(path)") }
        defer { close(descriptor) }
        guard fchmod(descriptor, mode) == 0 else { throw failure("cannot set the mode of \(path)") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw failure("cannot write \(path)") }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw failure("cannot flush \(path)") }
    }

    /// Copies the file `source` to the new file `destination` (mode 0600, less the umask) and flushes it to disk.
    static func copyFile(_ source: String, to destination: String) throws(BackupError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure("cannot open \(source)") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw failure("cannot create \(destination)") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw failure("cannot read \(source)") }
            if count == 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer[offset..<count].withUnsafeBytes { Glibc.write(output, $0.baseAddress, $0.count) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw failure("cannot write \(destination)") }
                offset += written
            }
        }
        guard fsync(output) == 0 else { throw failure("cannot flush \(destination)") }
    }

    /// Creates `path` as an empty directory of our own for `rename` to replace; `.exists` if anything is there already,
    /// so a directory someone else created after the first check is never replaced.
    static func claim(_ path: String) throws(BackupError) {
        guard mkdir(path, 0o700) == 0 else {
            if errno == EEXIST { throw .exists(path) }
            throw failure("cannot create \(path)")
        }
    }

    /// Removes a claimed directory if it is still empty.
    static func unclaim(_ path: String) {
        rmdir(path)
    }

    /// Renames the directory `source` to `destination`, which must not exist (or be an empty directory, which
    /// `rename` replaces), and flushes the parent directory.
    static func rename(_ source: String, to destination: String) throws(BackupError) {
        guard Glibc.rename(source, destination) == 0 else {
            if errno == EEXIST || errno == ENOTEMPTY { throw .exists(destination) }
            throw failure("cannot rename \(source) to \(destination)")
        }
        // Best effort: the rename is done.
        try? FileBytes.syncDirectory(of: destination)
    }

    /// Takes the backup directory's lock (`flock` on its `.lock` file), waiting while another backup holds it unless
    /// `wait` is false (then nil when it is held); close the returned descriptor to release it. Backups into one
    /// directory run one at a time, so whoever holds the lock knows every partial copy there is stale.
    static func lock(_ directory: String, wait: Bool = true) throws(BackupError) -> Int32? {
        let path = "\(directory)/.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot open \(path)") }
        while flock(descriptor, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK {
                close(descriptor)
                return nil
            }
            guard errno == EINTR else {
                let error = failure("cannot lock \(path)")
                close(descriptor)
                throw error
            }
        }
        return descriptor
    }

    /// How a partial copy's directory is named: `.<name>.partial-XXXXXX` (see `EventLog.backup`).
    static let partialMarker = ".partial-"

    /// Removes the partial copies in `directory` (left by a backup that was killed) and returns their paths.
    /// - Important: Hold the directory's `lock` so that no backup is writing one.
    static func removePartials(in directory: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let partials = entries.filter { $0.hasPrefix(".") && $0.contains(partialMarker) }.map { "\(directory)/\($0)" }
        for path in partials { remove(path) }
        return partials
    }

    /// Removes `path` and everything in it (best effort, for cleaning up after a failure).
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// An error for the failed call that just set `errno`.
    private static func failure(_ what: String) -> BackupError {
        let code = errno
        let message = "\(what): \(String(cString: strerror(code)))"
        return code == ENOSPC || code == EDQUOT ? .storageFull(message) : .io(message)
    }

    private static func reason(of error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}
