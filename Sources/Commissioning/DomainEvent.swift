import LedgerJSON

/// An event as projections see it (the daemon builds it from the stored envelope).
public struct DomainEvent: Sendable {
    /// The global log position, 1, 2, 3, ...
    public var position: UInt64
    /// The stream, e.g. `contract-K1`.
    public var stream: String { didSet { decoding = nil } }
    /// The event's place in its stream, from 1.
    public var version: UInt64
    /// The event id: a lowercase UUID text.
    public var id: String
    /// The event type, e.g. `service-delivered`.
    public var type: String { didSet { decoding = nil } }
    /// When the log recorded it: RFC 3339 UTC with microseconds.
    public var recorded: String
    /// The event's data and meta objects.
    var payload: Payload { didSet { decoding = nil } }
    /// What the catalogue makes of the event, once `prepared()` has worked it out.
    var decoding: Decoding?
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
        self.init(
            position: position,
            stream: stream,
            version: version,
            id: id,
            type: type,
            recorded: recorded,
            payload: .values(data: data, meta: meta),
            leafHash: leafHash
        )
    }

    /// An event read from its stored envelope, whose `data` and `meta` objects the fold reads in place.
    public init(
        position: UInt64,
        stream: String,
        version: UInt64,
        id: String,
        type: String,
        recorded: String,
        storedData data: JSONNode,
        storedMeta meta: JSONNode,
        leafHash: String?
    ) {
        self.init(
            position: position,
            stream: stream,
            version: version,
            id: id,
            type: type,
            recorded: recorded,
            payload: .stored(data: data, meta: meta),
            leafHash: leafHash
        )
    }

    private init(
        position: UInt64,
        stream: String,
        version: UInt64,
        id: String,
        type: String,
        recorded: String,
        payload: Payload,
        leafHash: String?
    ) {
        self.position = position
        self.stream = stream
        self.version = version
        self.id = id
        self.type = type
        self.recorded = recorded
        self.payload = payload
        self.leafHash = leafHash
    }

    /// The event's data object.
    public var data: JSONValue {
        get {
            switch payload {
            case .values(let data, _): data
            case .stored(let data, _): data.value
            }
        }
        set { payload = .values(data: newValue, meta: meta) }
    }

    /// The event's meta object (`actor`, `correlation`, `causation`).
    public var meta: JSONValue {
        get {
            switch payload {
            case .values(_, let meta): meta
            case .stored(_, let meta): meta.value
            }
        }
        set { payload = .values(data: data, meta: newValue) }
    }

    /// The `data` and `meta` objects: parsed values, or nodes of the stored envelope.
    enum Payload: Sendable {
        case values(data: JSONValue, meta: JSONValue)
        case stored(data: JSONNode, meta: JSONNode)
    }
}
