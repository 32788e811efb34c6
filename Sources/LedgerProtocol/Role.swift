/// What a peer may do, chosen by the server from the peer's uid and all its groups.
public enum Role: String, Sendable, CaseIterable, Comparable {
    /// Projection queries and status.
    case reader
    /// Appends, reads, subscriptions, durable consumers, queries and status.
    case writer
    /// Reads, subscriptions, queries, status and verification.
    case auditor
    /// What an auditor may do, and `COSIGN`: an independent party that cosigns the log's checkpoints.
    case witness
    /// What an auditor may do, and `REPLICATE`, `STORED` and `FENCE`: a follower's role on its primary (and a new
    /// primary's on the one it replaced).
    case replica
    /// Everything, including backup and rebuild.
    case ops

    /// Whether this role may run `verb`. Unmapped peers (no role) may only run `Verb.alwaysAllowed`.
    public func allows(_ verb: Verb) -> Bool {
        switch verb {
        case .ping, .quit, .hello, .status, .query:
            true
        case .append:
            self == .writer || self == .ops
        case .read, .readBack, .stream, .readAll, .subscribe, .unsubscribe, .consume, .ack:
            self != .reader
        case .verify, .prove, .consistency, .checkpoint, .checkpoints:
            self >= .auditor
        case .cosign:
            self == .witness || self == .ops
        case .replicate, .stored, .fence:
            self >= .replica
        case .backup, .rebuild, .metrics, .promote:
            self == .ops
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
