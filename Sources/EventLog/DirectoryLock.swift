#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<data directory>/writer.lock`, held while a log is open, so that two processes never
/// write the same environment (LMDB itself would allow it, and the writer's in-memory tree would diverge).
final class DirectoryLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock without waiting.
    /// - Throws: `EventLogError.locked` when another process holds it, `.storage` when the file cannot be opened.
    init(directory: String) throws(EventLogError) {
        let path = directory + "/writer.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .storage("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .locked(directory)
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
