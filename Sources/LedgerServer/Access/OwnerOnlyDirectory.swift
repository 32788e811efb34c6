import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's data and backup directories are its user's alone (0700): the socket's group reaches the socket and
/// nothing else. ledgerd creates them so; at start it also takes group and other access off a data directory that
/// an earlier version or install left open (0750, where the data files were 0640), and warns about such a backup
/// directory (which an operator may have pointed at a shared directory, so it is not changed).
enum OwnerOnlyDirectory {
    /// Takes group and other permissions off the data directory `path` if it grants any, logging the change (a
    /// notice) or why it could not be made (a warning: the daemon still starts).
    static func enforce(dataDirectory path: String, logger: Logger) {
        guard let mode = openMode(of: path) else { return }
        let ownerOnly = mode & ~0o077
        var metadata: Logger.Metadata = ["path": "\(path)", "mode": "\(octal(mode))"]
        guard chmod(path, ownerOnly) == 0 else {
            metadata["error"] = "\(String(cString: strerror(errno)))"
            logger.warning("cannot take group and other access off the data directory", metadata: metadata)
            return
        }
        metadata["newMode"] = "\(octal(ownerOnly))"
        logger.notice("took group and other access off the data directory", metadata: metadata)
    }

    /// Warns when the backup directory `path` grants group or other access: backups that ledgerd makes are 0700
    /// directories of 0600 files, but those made before were 0750 directories of 0640 files.
    static func check(backupDirectory path: String, logger: Logger) {
        guard let mode = openMode(of: path) else { return }
        logger.warning(
            "the backup directory is open to its group or others (earlier backups are 0640 files): chmod -R go-rwx it",
            metadata: ["path": "\(path)", "mode": "\(octal(mode))"]
        )
    }

    /// The permission bits of the directory `path` when they grant its group or others anything, else nil (also
    /// when it is missing or not a directory).
    private static func openMode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        let mode = info.st_mode & 0o7777
        return mode & 0o077 != 0 ? mode : nil
    }

    /// `mode` as four octal digits, such as `0750`.
    private static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
