#if canImport(Glibc)
import Glibc
#endif

/// A witness's state directory: `checkpoint` holds the signed note of the last checkpoint it cosigned, written whole
/// (a temporary file, synced, renamed) before the cosignature is handed over.
struct WitnessState {
    /// The directory.
    let directory: String

    init(_ directory: String) { self.directory = directory }

    private var file: String { directory + "/checkpoint" }

    /// The note last saved; nil when the witness has cosigned nothing yet.
    /// - Throws: a failure (exit 1) when the file exists but cannot be read.
    func load() throws(CommandFailure) -> String? {
        guard access(file, F_OK) == 0 else { return nil }
        do {
            return try InputFile.text(of: file)
        } catch {
            throw .refused("cannot read the witness state \(file): \(error)")
        }
    }

    /// Replaces the saved note with `note`, durably.
    /// - Throws: a failure (exit 1) when the directory cannot be made or the file written.
    func save(_ note: String) throws(CommandFailure) {
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw .refused(
                "cannot create the witness state directory \(directory): \(String(cString: strerror(errno)))"
            )
        }
        let file = try ExportFile(path: file)
        file.output.write(note.utf8)
        try file.commit()
    }
}
