#if canImport(Glibc)
import Glibc
#endif

/// The state directory of a witness or a monitor: small files, each written whole (a temporary file, synced,
/// renamed), such as `checkpoint`, the signed note of the last checkpoint checked.
struct StateDirectory {
    /// The directory.
    let path: String

    init(_ path: String) { self.path = path }

    /// The text of file `name`; nil when it does not exist yet.
    /// - Throws: a failure (exit 1) when the file exists but cannot be read.
    func read(_ name: String) throws(CommandFailure) -> String? {
        let file = path + "/" + name
        guard access(file, F_OK) == 0 else { return nil }
        do {
            return try InputFile.text(of: file)
        } catch {
            throw .refused("cannot read the state file \(file): \(error)")
        }
    }

    /// Takes the directory (0700, made if needed) for this process until it exits, so that two witnesses or
    /// monitors never share one state: each would check against a state the other changes.
    /// - Throws: a failure (exit 1) when another process holds it, or it cannot be made.
    func lock() throws(CommandFailure) {
        try create()
        let descriptor = open(path + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .refused("cannot open \(path)/lock: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .refused("another process uses the state directory \(path)")
        }
        // The descriptor stays open, and the lock held, until the process exits.
    }

    /// Replaces file `name` with `text`, durably, creating the directory (0700) if needed.
    /// - Throws: a failure (exit 1) when the directory cannot be made or the file written.
    func write(_ name: String, _ text: String) throws(CommandFailure) {
        try create()
        let file = try ExportFile(path: path + "/" + name)
        file.output.write(text.utf8)
        try file.commit()
    }

    private func create() throws(CommandFailure) {
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw .refused("cannot create the state directory \(path): \(String(cString: strerror(errno)))")
        }
    }
}
