import LedgerJSON

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
    public var type: Substring? { text(after: #"","type":""#) }

    /// The event's type when it begins with `prefix`, read from the envelope without parsing it; nil otherwise.
    public func type(withPrefix prefix: StaticString) -> Substring? {
        guard let type = field(#"","type":""#),
            bytes[type].starts(with: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        else { return nil }
        return text(of: type)
    }

    /// The event's recorded time as text, read from the envelope without parsing it.
    public var recorded: Substring? { text(after: #"","recorded":""#) }

    private func text(after marker: StaticString) -> Substring? { field(marker).map(text(of:)) }

    private func text(of range: Range<Int>) -> Substring {
        bytes[range].withUnsafeBufferPointer { Substring(decoding: $0, as: UTF8.self) }
    }

    /// Where the string after the first `marker` runs, up to the next quote: envelope fields come in a fixed order
    /// before `data`, and neither stream names nor types can hold a quote, so the first match is the envelope's own
    /// field. (A plain byte loop: the generic `firstRange(of:)` cost more than parsing the envelope.)
    private func field(_ marker: StaticString) -> Range<Int>? {
        bytes.withUnsafeBufferPointer { envelope -> Range<Int>? in
            let marker = UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
            guard let first = marker.first, envelope.count > marker.count else { return nil }
            var start = 0
            while start + marker.count < envelope.count {
                if envelope[start] == first, (1..<marker.count).allSatisfy({ envelope[start + $0] == marker[$0] }) {
                    let valueStart = start + marker.count
                    guard let end = envelope[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                    return valueStart..<end
                }
                start += 1
            }
            return nil
        }
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
        let root: JSONNode
        do {
            root = try JSONDocument(parsing: bytes).root
        } catch {
            throw .integrity(position: position, message: "stored envelope is not valid JSON: \(error)")
        }
        guard let stream = root["stream"]?.stringValue,
            let version = root["version"]?.int64Value, version > 0,
            let id = root["id"], id.isString,
            let type = root["type"], type.isString,
            let recorded = root["recorded"], recorded.isString,
            let data = root["data"], let meta = root["meta"]
        else {
            throw .integrity(position: position, message: "stored envelope lacks a field")
        }
        return StoredEnvelope(
            stream: stream,
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
    public let stream: String
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
