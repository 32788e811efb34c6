import Glibc
import LedgerJSON
import LedgerWire

/// A stored event: its position and the exact envelope bytes that were hashed into the Merkle tree.
public struct RecordedEvent: Sendable, Hashable {
    /// The global position (1-based, no gaps).
    public let position: UInt64
    /// The compact JSON envelope as stored.
    public let bytes: [UInt8]

    public init(position: UInt64, bytes: [UInt8]) {
        self.position = position
        self.bytes = bytes
    }

    /// The event's type, read from the envelope without parsing it (types contain no quotes or escapes).
    public var type: Substring? { withStoredBytes(\.type) }

    /// The event's stream name, read from the envelope without parsing it (names contain no quotes or escapes).
    public var stream: Substring? { withStoredBytes(\.stream) }

    /// The event's recorded time as text, read from the envelope without parsing it.
    public var recorded: Substring? { withStoredBytes(\.recorded) }

    private func withStoredBytes<Result>(_ body: (StoredEventBytes) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { body(StoredEventBytes(position: position, bytes: $0)) }
    }

    /// Parses the envelope into values.
    /// - Throws: `EventLogError.integrity` when the stored bytes are not a well-formed envelope.
    public func decoded() throws(EventLogError) -> DecodedEvent {
        let envelope = try self.envelope()
        guard let id = envelope.id.stringValue.flatMap(EventID.init), let type = envelope.type.stringValue,
            let recorded = envelope.recorded.stringValue
        else { throw .integrity(position: position, message: "stored envelope has a malformed id, type or time") }
        return DecodedEvent(
            position: position,
            stream: envelope.stream,
            version: envelope.version,
            id: id,
            type: type,
            recorded: recorded,
            data: envelope.data.value,
            meta: envelope.meta.value
        )
    }

    /// Parses the envelope, leaving `data` and `meta` to be read in place.
    /// - Throws: `EventLogError.integrity` when the stored bytes are not a well-formed envelope.
    public func envelope() throws(EventLogError) -> StoredEnvelope {
        var reader = JSONDocumentReader()
        let envelope = bytes.withUnsafeBufferPointer { bytes in
            Result { () throws(EventLogError) in
                try StoredEventBytes(position: position, bytes: bytes).envelope(using: &reader)
            }
        }
        return try envelope.get()
    }
}

/// A stored event read in place from the log (see `EventLog.forEachStoredEvent`): its position and its envelope's
/// bytes, valid only while the call that passes it runs.
public struct StoredEventBytes {
    /// The global position.
    public let position: UInt64
    /// The compact JSON envelope as stored.
    public let bytes: UnsafeBufferPointer<UInt8>

    /// The event's type, read from the envelope without parsing it (types contain no quotes or escapes).
    public var type: Substring? { text(after: #"","type":""#) }

    /// The event's stream name, read from the envelope without parsing it (names contain no quotes or escapes).
    public var stream: Substring? { text(after: #","stream":""#) }

    /// The event's recorded time as text, read from the envelope without parsing it.
    public var recorded: Substring? { text(after: #"","recorded":""#) }

    private func text(after marker: StaticString) -> Substring? { field(marker).map(text(of:)) }

    private func text(of range: Range<Int>) -> Substring {
        Substring(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Where the string after the first `marker` (at least 8 bytes) runs, up to the next quote: envelope fields come
    /// in a fixed order before `data`, and neither stream names nor types can hold a quote, so the first match is the
    /// envelope's own field. The search compares 8 bytes at a time.
    private func field(_ marker: StaticString) -> Range<Int>? {
        let length = marker.utf8CodeUnitCount
        guard length >= 8, let envelope = bytes.baseAddress, bytes.count > length else { return nil }
        let head = UnsafeRawPointer(marker.utf8Start).loadUnaligned(as: UInt64.self)
        let raw = UnsafeRawPointer(envelope)
        for start in 0...(bytes.count - length)
        where raw.loadUnaligned(fromByteOffset: start, as: UInt64.self) == head
            && memcmp(raw + start + 8, marker.utf8Start + 8, length - 8) == 0
        {
            let valueStart = start + length
            guard let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return valueStart..<end
        }
        return nil
    }

    /// Parses the envelope with `reader` (the document keeps a copy of the bytes), leaving `data` and `meta` to be
    /// read in place.
    /// - Throws: `EventLogError.integrity` when the stored bytes are not a well-formed envelope.
    public func envelope(using reader: inout JSONDocumentReader) throws(EventLogError) -> StoredEnvelope {
        let root: JSONNode
        do {
            root = try reader.parse(UnsafeRawBufferPointer(bytes)).root
        } catch {
            throw .integrity(position: position, message: "stored envelope is not valid JSON: \(error)")
        }
        let fields = root.members(StoredEnvelope.fields)
        guard let stream = fields[0], stream.isString,
            let version = fields[1]?.int64Value, version > 0,
            let id = fields[2], id.isString,
            let type = fields[3], type.isString,
            let recorded = fields[4], recorded.isString,
            let data = fields[5], let meta = fields[6]
        else {
            throw .integrity(position: position, message: "stored envelope lacks a field")
        }
        return StoredEnvelope(
            streamName: stream,
            version: UInt64(version),
            id: id,
            type: type,
            recorded: recorded,
            data: data,
            meta: meta
        )
    }
}

/// The fields of a stored envelope, with `data` and `meta` read in place from its parsed bytes.
public struct StoredEnvelope: Sendable {
    /// The members read, in the order `envelope(using:)` reads them.
    static let fields: JSONKeys = ["stream", "version", "id", "type", "recorded", "data", "meta"]

    /// The stream name.
    public var stream: String { streamName.stringValue ?? "" }

    /// The stream name as stored, read in place.
    public let streamName: JSONNode
    public let version: UInt64
    /// The id as stored (lowercase UUID text), read in place.
    public let id: JSONNode
    /// The type as stored, read in place.
    public let type: JSONNode
    /// The recorded time as stored (RFC 3339 UTC with microseconds), read in place.
    public let recorded: JSONNode
    public let data: JSONNode
    public let meta: JSONNode
}

/// The fields of a stored envelope.
public struct DecodedEvent: Sendable, Hashable {
    public let position: UInt64
    public let stream: String
    public let version: UInt64
    public let id: EventID
    public let type: String
    /// RFC 3339 UTC with microseconds.
    public let recorded: String
    public let data: JSONValue
    public let meta: JSONValue
}
