import LedgerProtocol

/// Who may open one more connection: at most `total` at once, of which the last `reservedForOps` only for `ops`
/// peers, and at most `perUID` per owner with a role (`perUnmappedUID` per owner without one): an owner is a uid, or
/// a TLS client's certificate subject (its address until the handshake has named it).
struct ConnectionLimits: Sendable, Equatable {
    /// Connections served at once (`limits.maxConnections`, or fewer when the file-descriptor limit allows fewer).
    var total: Int
    /// The last connections of `total`, kept for `ops` peers (at most half of `total` when the descriptor limit
    /// lowered it).
    var reservedForOps: Int
    /// Connections one uid with a role may hold.
    var perUID: Int
    /// Connections one uid without a role may hold.
    var perUnmappedUID: Int
    /// Why `total` is below `limits.maxConnections`, when it is (said in the refusal).
    var totalReason: String?

    init(_ configuration: ServerConfiguration, descriptorCapacity: Int? = nil) {
        total = min(configuration.maxConnections, descriptorCapacity ?? .max)
        reservedForOps = configuration.reservedOpsConnections
        perUID = configuration.maxConnectionsPerUID
        perUnmappedUID = configuration.maxConnectionsPerUnmappedUID
        if total < configuration.maxConnections {
            totalReason = "the daemon's file-descriptor limit (RLIMIT_NOFILE) allows only \(total)"
            // The reserve must not swallow what is left: ops keep at most half of it.
            reservedForOps = min(reservedForOps, total / 2)
        }
    }

    /// A connection the daemon will not serve: the limit it hit (a configuration key) and what the peer is told.
    struct Refusal: Sendable, Equatable {
        let key: String
        let message: String

        init(key: String, limit: Int, reason: String) {
            self.key = key
            message = "\(reason) (\(key) \(limit))"
        }

        private init(key: String, message: String) {
            (self.key, self.message) = (key, message)
        }

        /// The daemon is out of file descriptors: the connection holds the last one (see `DescriptorReserve`).
        static let outOfDescriptors = Refusal(
            key: "RLIMIT_NOFILE",
            message: "the server is out of file descriptors (RLIMIT_NOFILE); try again later"
        )
    }

    /// Why a connection of `owner` (`Peer.owner`: "uid 1000", ...) with `role` is refused while `open` connections are
    /// served, `openByOwner` of them that owner's; nil when it may be served.
    func refusal(open: Int, openByOwner: Int, owner: String, role: Role?) -> Refusal? {
        if open >= total {
            let reason = totalReason.map { "too many connections: \($0)" } ?? "too many connections"
            return Refusal(key: "limits.maxConnections", limit: total, reason: reason)
        }
        if role != .ops, open >= total - reservedForOps {
            return Refusal(
                key: "limits.reservedOpsConnections",
                limit: reservedForOps,
                reason: "too many connections: the last of the \(total) are reserved for ops"
            )
        }
        if role == nil, openByOwner >= perUnmappedUID {
            return Refusal(
                key: "limits.maxConnectionsPerUnmappedUID",
                limit: perUnmappedUID,
                reason: "\(owner) has no role and already holds the connections it may"
            )
        }
        if openByOwner >= perUID {
            return Refusal(
                key: "limits.maxConnectionsPerUID",
                limit: perUID,
                reason: "\(owner) already holds the connections it may"
            )
        }
        return nil
    }
}
