import LedgerJSON

/// The event catalogue of `Protocols/events.md`: which event types exist, on which streams, with which fields.
public enum Catalogue {
    /// How a local extension's type begins.
    private static let extensionPrefix: StaticString = "x-"

    /// Whether `type` is a local extension (`x-...`): stored like any event, ignored by every projection.
    public static func isExtension(_ type: some StringProtocol) -> Bool {
        type.utf8.starts(
            with: UnsafeBufferPointer(start: extensionPrefix.utf8Start, count: extensionPrefix.utf8CodeUnitCount)
        )
    }

    /// Whether `type` is one of the catalogue's own event types (not an `x-` extension).
    public static func isCatalogued(_ type: String) -> Bool {
        EventType(rawValue: type) != nil
    }

    /// Checks one proposed event.
    ///
    /// Types beginning with `x-` are local extensions: only their `data` and `meta` are checked to be objects. An
    /// extension never creates an entity: on an entity's stream (`case-C7`) it needs that entity to exist, so it is
    /// returned as referenced; on any other stream (`notes-7`) it needs nothing.
    /// Whether referenced entities exist is not checked here: it is returned as `referencedStreams` for the caller to
    /// check against the log. A nil `meta` is an event without one (an empty object).
    /// - Returns: whether the event creates its entity, and which entity streams must already exist.
    /// - Throws: `InvalidEvent` naming the offending field as a path like `data.weights[1].weightBp`.
    public static func validate(
        stream: String,
        type: String,
        data: some JSONReadable,
        meta: (some JSONReadable)?
    ) throws(InvalidEvent) -> EventRequirements {
        try check(stream: stream, type: type, data: data, meta: meta)
    }

    /// `validate` of the values of a parsed request line, as the daemon checks every `APPEND`: a concrete overload,
    /// so that the decoding is specialised in this module instead of looking up type metadata for every field.
    public static func validate(
        stream: String,
        type: String,
        data: JSONNode,
        meta: JSONNode?
    ) throws(InvalidEvent) -> EventRequirements {
        try check(stream: stream, type: type, data: data, meta: meta)
    }

    private static func check(
        stream: String,
        type: String,
        data: some JSONReadable,
        meta: (some JSONReadable)?
    ) throws(InvalidEvent) -> EventRequirements {
        if let meta {
            guard meta.isObject else { throw InvalidEvent(field: "meta", message: "must be a JSON object") }
            if let actor = meta["actor"] { _ = try FieldReader.identifier(actor, at: "meta.actor") }
        }
        if isExtension(type) {
            guard data.isObject else { throw InvalidEvent(field: "data", message: "must be a JSON object") }
            // An extension must not make an entity's stream exist without the event that creates the entity.
            return EventRequirements(
                createsEntity: false,
                referencedStreams: EntityKind.parse(stream: stream) == nil ? [] : [stream]
            )
        }
        guard let eventType = EventType(rawValue: type) else {
            throw InvalidEvent(field: "type", message: "is not an event type of the catalogue (nor an x- extension)")
        }
        let (_, event) = try decode(stream: stream, type: eventType, data: data)
        let own = eventType.createsEntity ? [] : [stream]
        return EventRequirements(
            createsEntity: eventType.createsEntity,
            referencedStreams: own + event.references.filter { $0 != stream }
        )
    }

    /// Decodes an event of the catalogue after checking its stream; returns the entity id of the stream too.
    static func decode(
        stream: String,
        type eventType: EventType,
        data: some JSONReadable
    ) throws(InvalidEvent) -> (String, CatalogueEvent) {
        try decode(entity: EntityKind.parse(stream: stream), type: eventType, data: data)
    }

    /// Decodes an event of the catalogue on the stream of `entity` (nil: a stream that names no entity).
    static func decode(
        entity: (kind: EntityKind, id: String)?,
        type eventType: EventType,
        data: some JSONReadable
    ) throws(InvalidEvent) -> (String, CatalogueEvent) {
        guard let (kind, id) = entity else {
            let kinds = EntityKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw InvalidEvent(field: "stream", message: "must be <kind>-<id> with kind one of: \(kinds)")
        }
        if let expected = eventType.streamKind, kind != expected {
            throw InvalidEvent(
                field: "stream",
                message: "a \(eventType.rawValue) event belongs on a \(expected.rawValue)-<id> stream"
            )
        }
        return (id, try CatalogueEvent(type: eventType, data: data))
    }
}
