/// The stable error codes of protocol v1, sent as `ERR <CODE> {"message":..}`.
///
/// Codes never change meaning; new ones may be added. Only `lineTooLong` and `shuttingDown` close the connection.
public enum ErrorCode: String, Sendable, CaseIterable {
    /// The line is not a well-formed request: not UTF-8, a NUL byte, wrong arity, a bad argument.
    case badRequest = "BAD_REQUEST"
    /// The verb is not one this server knows.
    case unknownCommand = "UNKNOWN_COMMAND"
    /// The JSON part is not valid JSON (or too deep, or has duplicate keys).
    case badJSON = "BAD_JSON"
    /// An event does not have the required shape; the message names the field.
    case invalidEvent = "INVALID_EVENT"
    /// The stream's version did not match the expectation; nothing was written.
    case wrongExpectedVersion = "WRONG_EXPECTED_VERSION"
    /// An event id is already stored with other content; nothing was written.
    case duplicateID = "DUPLICATE_ID"
    /// The thing asked for does not exist.
    case notFound = "NOT_FOUND"
    /// The peer's role does not allow this command.
    case forbidden = "FORBIDDEN"
    /// The line is longer than the limit; the connection is closed.
    case lineTooLong = "LINE_TOO_LONG"
    /// The server or this connection is over a limit (connections, in-flight requests, a subscriber's buffer).
    case overloaded = "OVERLOADED"
    /// The disk or the map's maximum size is reached; nothing was written, reads keep working.
    case storageFull = "STORAGE_FULL"
    /// Stored bytes do not match their hashes.
    case integrity = "INTEGRITY"
    /// A bounded wait ran out, e.g. `QUERY AFTER` a position the projections did not reach in time.
    case timeout = "TIMEOUT"
    /// What answers the request is not ready yet (the read models are being written afresh, after a first start or
    /// a restore); the same request succeeds later.
    case unavailable = "UNAVAILABLE"
    /// The daemon does not lead the replication epoch: a follower, or a former primary fenced by a newer one. It
    /// takes no appends; the JSON has the `epoch` and, when known, the `primary` to append to.
    case readOnly = "READ_ONLY"
    /// `FENCE` named an epoch older than the one this daemon knows (the JSON has its `epoch`).
    case staleEpoch = "STALE_EPOCH"
    /// The server is stopping; the connection is closed.
    case shuttingDown = "SHUTTING_DOWN"
    /// An unexpected failure inside the server.
    case `internal` = "INTERNAL"

    /// Whether the server closes the connection after sending this error (the "closes the connection" column of
    /// Protocols/line-protocol.md's error table; the server and LedgerClient both follow this one rule).
    public var closesConnection: Bool {
        switch self {
        case .lineTooLong, .overloaded, .shuttingDown: true
        default: false
        }
    }
}
