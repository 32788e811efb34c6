import LedgerJSON

/// An event as projections see it (the daemon builds it from the stored envelope).
public struct DomainEvent: Sendable {
    /// The global log position, 1, 2, 3, ...
    public var position: UInt64
    /// The stream, e.g. `contract-K1`.
    public var stream: String {
        get { streamText.string }
        set {
            streamText = .text(newValue)
            decoding = nil
        }
    }
    /// The stream name, as given or read in place.
    private(set) var streamText: StreamText
    /// The event's place in its stream, from 1.
    public var version: UInt64
    /// The event id: a lowercase UUID text.
    public var id: String {
        get { texts.id }
        set { texts.id = newValue }
    }
    /// The event type, e.g. `service-delivered`.
    public var type: String {
        didSet {
            catalogueType = EventType(rawValue: type)
            decoding = nil
        }
    }
    /// The type, when it is one of the catalogue's.
    private(set) var catalogueType: EventType?
    /// When the log recorded it: RFC 3339 UTC with microseconds.
    public var recorded: String {
        get { texts.recorded }
        set { texts.recorded = newValue }
    }
    /// The event's data and meta objects.
    var payload: Payload { didSet { decoding = nil } }
    /// What the catalogue makes of the event, once `prepared()` has worked it out.
    var decoding: Decoding?
    /// The id and recorded time, packed.
    private(set) var texts: EventTexts

    /// An event with the given envelope fields.
    public init(
        position: UInt64,
        stream: String,
        version: UInt64,
        id: String,
        type: String,
        recorded: String,
        data: JSONValue,
        meta: JSONValue = [:]
    ) {
        self.init(
            position: position,
            stream: .text(stream),
            version: version,
            type: type,
            texts: EventTexts(id: id, recorded: recorded),
            payload: .values(data: data, meta: meta)
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
        storedMeta meta: JSONNode
    ) {
        self.init(
            position: position,
            stream: .text(stream),
            version: version,
            type: type,
            texts: EventTexts(id: id, recorded: recorded),
            payload: .stored(data: data, meta: meta)
        )
    }

    /// An event read in place from its stored envelope: the fold reads `data` and `meta` from the document, the `id`
    /// and `recorded` strings are packed from it, and a catalogue type is its constant.
    public init(
        position: UInt64,
        stream: JSONNode,
        version: UInt64,
        id: borrowing JSONNode,
        type: borrowing JSONNode,
        recorded: borrowing JSONNode,
        storedData data: JSONNode,
        storedMeta meta: JSONNode
    ) {
        self.init(
            position: position,
            stream: .stored(stream),
            version: version,
            type: type,
            texts: EventTexts(id: id, recorded: recorded),
            payload: .stored(data: data, meta: meta)
        )
    }

    /// An event with its texts packed already, whose type is the text `type` holds: a catalogue type is found by its
    /// bytes, and kept as its constant string.
    init(
        position: UInt64,
        stream: StreamText,
        version: UInt64,
        type: borrowing JSONNode,
        texts: EventTexts,
        payload: Payload
    ) {
        let known = EventType(type)
        self.init(
            position: position,
            stream: stream,
            version: version,
            type: known?.rawValue ?? type.stringValue ?? "",
            catalogueType: known,
            texts: texts,
            payload: payload
        )
    }

    /// An event with its texts packed already.
    init(position: UInt64, stream: StreamText, version: UInt64, type: String, texts: EventTexts, payload: Payload) {
        self.init(
            position: position,
            stream: stream,
            version: version,
            type: type,
            catalogueType: EventType(rawValue: type),
            texts: texts,
            payload: payload
        )
    }

    private init(
        position: UInt64,
        stream: StreamText,
        version: UInt64,
        type: String,
        catalogueType: EventType?,
        texts: EventTexts,
        payload: Payload
    ) {
        self.position = position
        streamText = stream
        self.version = version
        self.type = type
        self.catalogueType = catalogueType
        self.texts = texts
        self.payload = payload
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
