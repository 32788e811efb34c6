import LedgerJSON

/// An event as projections see it (the daemon builds it from the stored envelope).
public struct DomainEvent: Sendable {
    /// The global log position, 1, 2, 3, ...
    public var position: UInt64
    /// The stream, e.g. `contract-K1`.
    public var stream: String
    /// The event's place in its stream, from 1.
    public var version: UInt64
    /// The event id: a lowercase UUID text.
    public var id: String
    /// The event type, e.g. `service-delivered`.
    public var type: String
    /// When the log recorded it: RFC 3339 UTC with microseconds.
    public var recorded: String
    /// The event's data object.
    public var data: JSONValue
    /// The event's meta object (`actor`, `correlation`, `causation`).
    public var meta: JSONValue
    /// The event's Merkle leaf hash in hex, when known.
    public var leafHash: String?

    /// An event with the given envelope fields.
    public init(
        position: UInt64,
        stream: String,
        version: UInt64,
        id: String,
        type: String,
        recorded: String,
        data: JSONValue,
        meta: JSONValue = [:],
        leafHash: String? = nil
    ) {
        self.position = position
        self.stream = stream
        self.version = version
        self.id = id
        self.type = type
        self.recorded = recorded
        self.data = data
        self.meta = meta
        self.leafHash = leafHash
    }
}
