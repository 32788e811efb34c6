import LedgerJSON
import LedgerWire

/// An event a client asks to append: `{"id", "type", "data", "meta"}`.
///
/// `data` and `meta` are JSON objects, kept only in canonical form (sorted keys, no whitespace) so that identical
/// content always produces identical stored bytes, and so that the writer thread never holds (or frees) parsed trees.
public struct ProposedEvent: Sendable, Hashable {
    /// The client-chosen id.
    public let id: EventID
    /// The event type (see `Naming`).
    public let type: String
    /// The recorded time to store instead of the server's clock: set only when importing an export, so that the
    /// imported log has the same bytes and Merkle root. It may not go backwards.
    public let recorded: RecordedTime?
    /// `data` in canonical bytes.
    let dataBytes: [UInt8]
    /// `meta` in canonical bytes.
    let metaBytes: [UInt8]
    /// The envelope's `"id":..,"type":..` members, made with the event (on the caller's thread) so that the writer
    /// thread only copies them.
    let idAndType: [UInt8]
    /// The primary's stored envelope, for a follower's copy of its event (`ReplicatedEnvelope`): the writer stores
    /// these bytes unchanged, and its recorded time is the primary's, taken whatever this ledger's import state and
    /// clock.
    let stored: [UInt8]?

    /// Whether it is a follower's copy of its primary's event.
    public var isReplicated: Bool { stored != nil }

    /// Checks the shape and builds the event.
    /// - Throws: `EventLogError.invalidEvent` naming the field, with `index` as given.
    public init(
        id: String,
        type: String,
        data: JSONValue,
        meta: JSONValue = .object([:]),
        recorded: RecordedTime? = nil,
        index: Int = 0
    ) throws(EventLogError) {
        try self.init(id: id, type: type, reading: data, meta: meta, recorded: recorded, index: index)
    }

    /// Checks the shape and builds the event from a tree or from values read in place.
    private init(
        id: String,
        type: String,
        reading data: some JSONReadable,
        meta: some JSONReadable,
        recorded: RecordedTime?,
        index: Int
    ) throws(EventLogError) {
        guard let eventID = EventID(id) else {
            throw .invalidEvent(
                index: index,
                field: "id",
                message: "must be a UUID like 0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e6f"
            )
        }
        guard Naming.isValid(type) else {
            throw .invalidEvent(
                index: index,
                field: "type",
                message: "must be 1-128 characters A-Z a-z 0-9 . _ : @ -, starting with a letter or digit"
            )
        }
        guard data.isObject else {
            throw .invalidEvent(index: index, field: "data", message: "must be a JSON object")
        }
        guard meta.isObject else {
            throw .invalidEvent(index: index, field: "meta", message: "must be a JSON object")
        }
        self.id = eventID
        self.type = type
        self.recorded = recorded
        self.dataBytes = data.canonicalBytes
        self.metaBytes = meta.canonicalBytes
        self.idAndType = Envelope.idAndType(id: eventID, type: type)
        self.stored = nil
    }

    /// A follower's copy of its primary's event, from the envelope's head (`ReplicatedEnvelope`).
    init(id: EventID, type: String, recorded: RecordedTime, stored: [UInt8]) {
        self.id = id
        self.type = type
        self.recorded = recorded
        (dataBytes, metaBytes, idAndType) = ([], [], [])
        self.stored = stored
    }

    /// Builds an event from its wire object `{"id","type","data","meta"}`; `meta` may be omitted, `recorded` is
    /// read only when `allowRecorded` (imports), other keys are refused.
    public init(json object: some JSONReadable, index: Int = 0, allowRecorded: Bool = false) throws(EventLogError) {
        try self.init(reading: object, index: index, allowRecorded: allowRecorded)
    }

    /// Builds an event from a node of a parsed request line, as the daemon does for every `APPEND`. A concrete
    /// overload, so that the reading is specialised in this module: called generically from another module, it
    /// looked up type metadata for every field it read.
    public init(json object: JSONNode, index: Int = 0, allowRecorded: Bool = false) throws(EventLogError) {
        try self.init(reading: object, index: index, allowRecorded: allowRecorded)
    }

    private init(reading object: some JSONReadable, index: Int, allowRecorded: Bool) throws(EventLogError) {
        guard object.isObject else {
            throw .invalidEvent(
                index: index,
                field: "event",
                message: "must be a JSON object with id, type, data and meta"
            )
        }
        let fields = Self.fields
        if !object.isObject(withKeysIn: fields), let key = object.objectKeys?.first(where: { !fields.contains($0) }) {
            throw .invalidEvent(index: index, field: key, message: "unknown field (allowed: id, type, data, meta)")
        }
        var recorded: RecordedTime?
        if let value = object["recorded"] {
            guard allowRecorded else {
                throw .invalidEvent(
                    index: index,
                    field: "recorded",
                    message: "set by the server; only the ops role may give it, to import an export"
                )
            }
            guard let text = value.stringValue, let time = RecordedTime(text) else {
                throw .invalidEvent(
                    index: index,
                    field: "recorded",
                    message: "must be like 2026-11-22T20:55:00.123456Z"
                )
            }
            recorded = time
        }
        guard let id = object["id"]?.stringValue else {
            throw .invalidEvent(index: index, field: "id", message: "required string (a UUID)")
        }
        guard let type = object["type"]?.stringValue else {
            throw .invalidEvent(index: index, field: "type", message: "required string")
        }
        guard let data = object["data"] else {
            throw .invalidEvent(index: index, field: "data", message: "required JSON object")
        }
        if let meta = object["meta"] {
            try self.init(id: id, type: type, reading: data, meta: meta, recorded: recorded, index: index)
        } else {
            try self.init(
                id: id,
                type: type,
                reading: data,
                meta: JSONValue.object([:]),
                recorded: recorded,
                index: index
            )
        }
    }

    /// The members an event object may hold.
    static let fields: JSONKeys = ["id", "type", "data", "meta", "recorded"]
}
