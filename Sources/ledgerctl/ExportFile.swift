#if canImport(Glibc)
import Glibc
#endif

/// Where an export goes: stdout, or a file written under `FILE.partial` and renamed into place by `commit()`, so
/// an interrupted export never leaves a complete-looking file. The file is created 0600 (less the umask), as the data
/// files are: it holds every payload of the ledger.
final class ExportFile {
    let output: Output
    private let path: String?
    private let descriptor: Int32
    private var committed = false

    /// Stdout when `path` is nil.
    /// - Throws: a usage failure when the file cannot be created.
    init(path: String?) throws(CommandFailure) {
        self.path = path
        guard let path else {
            descriptor = 1
            output = Output()
            return
        }
        descriptor = open(path + ".partial", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .usage("cannot create \(path).partial: \(String(cString: strerror(errno)))")
        }
        output = Output(descriptor: descriptor)
    }

    /// Writes out what is buffered and, for a file, syncs it and renames it into place.
    /// - Throws: a failure (exit 1) when writing, syncing or renaming fails.
    func commit() throws(CommandFailure) {
        guard output.flush() else {
            throw .refused("cannot write \(path ?? "stdout"): \(String(cString: strerror(errno)))")
        }
        guard let path else { return }
        guard fsync(descriptor) == 0, rename(path + ".partial", path) == 0 else {
            throw .refused("cannot complete \(path): \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    deinit {
        guard let path else { return }
        close(descriptor)
        if !committed { unlink(path + ".partial") }
    }
}
