import Logging

#if canImport(Glibc)
import Glibc
#endif

/// swift-log's `StreamLogHandler` text lines on stderr, each with the `<N>` syslog priority prefix journald reads
/// (sd-daemon(3)), so `journalctl -p warning` finds warnings. Used when `JournalStream.isStandardError`.
public struct JournalTextLogHandler: LogHandler {
    private let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler for loggers labelled `label`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats the event as `StreamLogHandler` does, writing it with the prefix for its level in one `write(2)`.
    public func log(event: LogEvent) {
        var handler = StreamLogHandler(
            label: label,
            stream: PrefixedStandardError(level: event.level),
            metadataProvider: metadataProvider
        )
        handler.logLevel = logLevel
        handler.metadata = metadata
        handler.log(event: event)
    }
}

/// Writes each string to stderr in one `write(2)`, with the journal's priority prefix before each line.
private struct PrefixedStandardError: TextOutputStream, Sendable {
    let level: Logger.Level

    mutating func write(_ string: String) {
        let bytes = Array(JournalStream.prefixed(string, level: level).utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
