/// Why `ledgerd` cannot start; each has its own exit code (documented in README.md and ops/RUNBOOK.md).
public enum StartupError: Error, Sendable, CustomStringConvertible {
    /// Bad flags or configuration (exit 2).
    case configuration(String)
    /// Another ledgerd holds the data directory (exit 3).
    case dataDirectoryLocked(String)
    /// The socket path is in use or is not a socket, or the metrics address cannot be listened on (exit 4).
    case socketInUse(String)
    /// The data directory cannot be created, opened or is not a ledger (exit 5).
    case dataDirectoryUnusable(String)
    /// The checkpoint signing key file is unsafe, unreadable or not a key (exit 6).
    case signingKey(String)

    public var exitCode: Int32 {
        switch self {
        case .configuration: 2
        case .dataDirectoryLocked: 3
        case .socketInUse: 4
        case .dataDirectoryUnusable: 5
        case .signingKey: 6
        }
    }

    public var description: String {
        switch self {
        case .configuration(let message): message
        case .dataDirectoryLocked(let message): message
        case .socketInUse(let message): message
        case .dataDirectoryUnusable(let message): message
        case .signingKey(let message): message
        }
    }
}
