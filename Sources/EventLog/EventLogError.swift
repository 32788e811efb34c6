import LMDB
import LedgerWire

/// Everything the event log can refuse or fail with. Each case maps to one stable wire error code.
public enum EventLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An event in a request is malformed; `index` is its place in the batch (0-based), `field` the offending key.
    case invalidEvent(index: Int, field: String, message: String)
    /// The stream name breaks the naming rule.
    case invalidStreamName(String)
    /// The batch is empty or has more events than the limit.
    case invalidBatch(String)
    /// The stream's version did not satisfy the expectation; nothing was written.
    case wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: UInt64)
    /// An event id is already stored with different content (or only part of the batch is stored).
    case duplicateID(id: EventID, position: UInt64, message: String)
    /// The disk, the quota or the configured maximum map size is exhausted; nothing was written.
    case storageFull(String)
    /// Stored bytes do not match their hashes: the first bad position.
    case integrity(position: UInt64, message: String)
    /// The writer has stopped and takes no more appends.
    case shuttingDown
    /// Another process has the data directory open.
    case locked(String)
    /// An unexpected storage failure.
    case storage(String)
    /// The data directory's files are truncated, missing beside its identity record, or not the recorded ledger's:
    /// refused rather than served.
    case damaged(String)
    /// A position or tree size past the committed head.
    case beyondHead(requested: UInt64, head: UInt64)
    /// An argument outside what the operation accepts, such as position 0 or an old size above the new one.
    case invalidArgument(String)
    /// This ledger does not lead the replication epoch it knows (a follower, or a primary fenced by a newer one):
    /// it takes no appends. `primary` is that epoch's primary when known.
    case readOnly(epoch: UInt64, primary: String?)

    public var description: String {
        switch self {
        case .invalidEvent(let index, let field, let message):
            "event \(index): \(field): \(message)"
        case .invalidStreamName(let name):
            "invalid stream name \"\(name.prefix(64))\": use 1-128 characters A-Z a-z 0-9 . _ : @ -, starting with a letter or digit"
        case .invalidBatch(let message):
            message
        case .wrongExpectedVersion(let stream, let expected, let actual):
            "stream \(stream) is at version \(actual), expected \(expected)"
        case .duplicateID(let id, let position, let message):
            "event id \(id) is already stored at position \(position): \(message)"
        case .storageFull(let message):
            "storage full: \(message)"
        case .integrity(let position, let message):
            "integrity check failed at position \(position): \(message)"
        case .shuttingDown:
            "the ledger is shutting down"
        case .locked(let directory):
            "another process (a running ledgerd?) has \(directory) open"
        case .storage(let message):
            "storage error: \(message)"
        case .damaged(let message):
            "refused: \(message)"
        case .beyondHead(let requested, let head):
            "\(requested) is beyond the head position \(head)"
        case .invalidArgument(let message):
            message
        case .readOnly(let epoch, let primary):
            "this ledger is not the primary of epoch \(epoch) and takes no appends; append to "
                + (primary.map { "the primary at \($0)" } ?? "that epoch's primary")
        }
    }

    /// Classifies an LMDB failure from a write.
    static func from(_ error: LMDBError) -> EventLogError {
        error.isStorageFull ? .storageFull(error.description) : .storage(error.description)
    }
}
