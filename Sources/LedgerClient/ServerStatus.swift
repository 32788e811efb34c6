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
