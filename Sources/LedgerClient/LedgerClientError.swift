import LedgerJSON
import LedgerProtocol

/// Why a request to `ledgerd` did not succeed.
public enum LedgerClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server refused the request: `ERR <code> <details>`, where `details` is the whole error object (its
    /// `message` included). A code this client does not know arrives as `.internal` with the code in the message.
    case server(code: ErrorCode, message: String, details: JSONValue)
    /// The socket at `path` could not be reached (no such file, refused, permission denied).
    case cannotConnect(path: String, reason: String)
    /// The connection ended before the reply came (the daemon stopped or the connection was closed).
    case connectionClosed
    /// The server sent something protocol v1 does not allow here.
    case protocolViolation(String)
    /// An argument would change the request line's meaning (a stream or type with a space or control character, a
    /// query whose first word is `AFTER`); nothing was sent.
    case invalidArgument(String)

    /// One line: the wire code and message for server errors, else what went wrong.
    public var description: String {
        switch self {
        case .server(let code, let message, _): "\(code.rawValue): \(message)"
        case .cannotConnect(let path, let reason): "cannot connect to \(path): \(reason)"
        case .connectionClosed: "the connection to ledgerd was closed"
        case .protocolViolation(let what): "protocol violation: \(what)"
        case .invalidArgument(let what): "invalid argument: \(what)"
        }
    }

    /// The wire code when the server refused the request; nil for every other failure.
    public var code: ErrorCode? {
        guard case .server(let code, _, _) = self else { return nil }
        return code
    }

    /// The error an `ERR` line carries; nil for every other line.
    init?(_ line: ReplyLine) {
        guard case .error(let code, let message, let details) = line else { return nil }
        self = .server(code: code, message: message, details: details)
    }
}
