/// How `ledgerd` writes its log lines to stderr.
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's text lines: time, level, label, message and metadata.
    case text
    /// One JSON object per line (`JSONLogHandler`).
    case json
}
