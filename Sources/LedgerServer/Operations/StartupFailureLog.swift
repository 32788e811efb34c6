import Logging

#if canImport(Glibc)
import Glibc
#endif

/// How `ledgerd` reports the error that stops it before it serves (exit codes 2 to 6): one line on stderr in the
/// log format the operator chose, so a log collector reading JSON gets an object for it too.
public enum StartupFailureLog {
    /// Writes `message` to stderr in `format`.
    ///
    /// Text: `ledgerd: <message>`. JSON: one `JSONLogHandler` object at level critical, with the message and
    /// `metadata.exitCode`. When stderr is the journal, the line carries the critical priority prefix `<2>`.
    public static func write(_ message: String, exitCode: Int32, format: LogFormat) {
        let journal = JournalStream.isStandardError
        switch format {
        case .json:
            let logger = Logger(label: "ledgerd") { label in JSONLogHandler(label: label, journal: journal) }
            logger.critical("\(message)", metadata: ["exitCode": .stringConvertible(exitCode)])
        case .text:
            let line = "ledgerd: \(message)\n"
            let bytes = Array((journal ? JournalStream.prefixed(line, level: .critical) : line).utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        }
    }
}
