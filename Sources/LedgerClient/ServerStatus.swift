import LedgerJSON

/// The server's answer to `STATUS`: the head, the Merkle root, and operational figures.
public struct ServerStatus: Sendable, Hashable {
    /// The head position (the number of events in the log).
    public var head: UInt64
    /// The Merkle root over the whole log, in hex.
    public var root: String
    /// The whole reply object (connections, map, readers, uptime, writer totals, projections).
    public var json: JSONValue

    init(_ json: JSONValue) throws(LedgerClientError) {
        self.json = json
        head = try json.unsigned("head", in: "STATUS")
        root = try json.string("root", in: "STATUS")
    }
}

extension ServerStatus {
    /// A durable consumer as `STATUS` lists it.
    public struct Consumer: Sendable, Hashable {
        public var name: String
        /// The acknowledged position, stored durably.
        public var acked: UInt64
        /// How far `acked` is behind the head, in events.
        public var lag: UInt64
        /// Whether a connection holds the name.
        public var active: Bool
        /// Connections waiting to take over.
        public var standby: Int
    }

    /// The durable consumers, by name.
    public var consumers: [Consumer] {
        (json["consumers"]?.arrayValue ?? []).compactMap { entry in
            guard let name = entry["name"]?.stringValue, let acked = entry["acked"]?.int64Value,
                let lag = entry["lag"]?.int64Value, acked >= 0, lag >= 0
            else { return nil }
            return Consumer(
                name: name,
                acked: UInt64(acked),
                lag: UInt64(lag),
                active: entry["active"]?.boolValue ?? false,
                standby: Int(clamping: entry["standby"]?.int64Value ?? 0)
            )
        }
    }
}
