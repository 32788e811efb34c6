import LedgerJSON

/// An event as the server stores it, with the exact bytes of its `EVENT` line.
///
/// `bytes` are what the Merkle tree hashes (`SHA-256(0x00 || bytes)`): keep them rather than re-encoding the fields.
public struct LedgerEvent: Sendable, Hashable {
    /// The event's stored JSON, byte for byte.
    public let bytes: [UInt8]
    /// The global position (1, 2, 3, ... with no gaps).
    public let position: UInt64
    /// The stream the event belongs to.
    public let stream: String
    /// The event's version in its stream (the first event is version 1).
    public let version: UInt64
    /// The client-chosen UUID.
    public let id: String
    /// The event type.
    public let type: String
    /// The server's UTC time of the commit, e.g. `2026-11-22T20:55:00.123456Z`.
    public let recorded: String
    /// The payload, a JSON object.
    public let data: JSONValue
    /// Actor, correlation, causation and the like, a JSON object.
    public let meta: JSONValue

    /// Decodes an event from its stored bytes (the JSON of an `EVENT` line).
    /// - Throws: `EventDecodingError` when the bytes are not JSON or lack a field.
    public init(bytes: [UInt8]) throws(EventDecodingError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw EventDecodingError(reason: "invalid JSON: \(error)")
        }
        self.bytes = bytes
        position = try Self.field("position", of: json) { $0.int64Value.flatMap { UInt64(exactly: $0) } }
        stream = try Self.field("stream", of: json) { $0.stringValue }
        version = try Self.field("version", of: json) { $0.int64Value.flatMap { UInt64(exactly: $0) } }
        id = try Self.field("id", of: json) { $0.stringValue }
        type = try Self.field("type", of: json) { $0.stringValue }
        recorded = try Self.field("recorded", of: json) { $0.stringValue }
        data = try Self.field("data", of: json) { $0.objectValue.map(JSONValue.object) }
        meta = try Self.field("meta", of: json) { $0.objectValue.map(JSONValue.object) }
    }

    private static func field<T>(
        _ name: String,
        of json: JSONValue,
        _ convert: (JSONValue) -> T?
    ) throws(EventDecodingError) -> T {
        guard let value = json[name] else { throw EventDecodingError(reason: "the event has no \"\(name)\"") }
        guard let converted = convert(value) else {
            throw EventDecodingError(reason: "the event's \"\(name)\" has the wrong type")
        }
        return converted
    }
}

/// Why bytes could not be decoded as a stored event.
public struct EventDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public let reason: String

    /// The reason.
    public var description: String { reason }
}
