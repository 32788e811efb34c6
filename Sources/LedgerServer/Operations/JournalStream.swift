import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Whether stderr is connected to systemd's journal, which then reads a `<N>` syslog priority prefix at the start of
/// each line (sd-daemon(3)) and stores the rest of the line as the message.
///
/// systemd sets `$JOURNAL_STREAM` to `<device>:<inode>` of the stream it connected to stdout or stderr
/// (systemd.exec(5)). The variable is inherited by child processes whose stderr may go elsewhere (a file, a
/// terminal), so it counts only when it names the stream stderr actually is.
public enum JournalStream {
    /// Whether this process's stderr is the stream `$JOURNAL_STREAM` names.
    public static var isStandardError: Bool {
        guard let value = getenv("JOURNAL_STREAM") else { return false }
        return names(String(cString: value), descriptor: 2)
    }

    /// Whether `value` (`<device>:<inode>`, decimal) names the file open on `descriptor`.
    static func names(_ value: String, descriptor: Int32) -> Bool {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    /// `text` with the journal's priority prefix for `level` before each of its lines.
    public static func prefixed(_ text: String, level: Logger.Level) -> String {
        let prefix = "<\(level.syslogPriority)>"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let body = lines.last == "" ? lines.dropLast() : lines[...]
        return body.map { prefix + $0 }.joined(separator: "\n") + (lines.last == "" ? "\n" : "")
    }
}
