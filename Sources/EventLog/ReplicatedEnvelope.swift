import LedgerWire

/// One event of a primary's log as its follower stores it: the primary's envelope bytes, kept as they are (the
/// writer stores them unchanged, so the follower's leaf hashes and root are the primary's), with what the follower
/// needs to append them read from the envelope's head alone (`EnvelopeHead`), without parsing its data.
public struct ReplicatedEnvelope: Sendable {
    /// The envelope, as the primary stores it.
    public let bytes: [UInt8]
    public let position: UInt64
    public let stream: String
    public let version: UInt64
    /// The event to append at `position`, as version `version` of `stream`.
    public let event: ProposedEvent

    /// Reads the head of a stored envelope.
    /// - Throws: `EventLogError.invalidEvent` when the bytes do not begin as `Envelope.write` writes them, or hold an
    ///   invalid id, stream, type or recorded time, or do not end as an envelope does (`}}`, its meta and itself).
    public init(_ bytes: [UInt8]) throws(EventLogError) {
        let read = bytes.withUnsafeBufferPointer { buffer -> (EnvelopeHead, String, String, String, String)? in
            // It ends with its meta object and its own close: `...,"meta":{..}}`.
            guard buffer.count > 2, buffer[buffer.count - 1] == UInt8(ascii: "}"),
                buffer[buffer.count - 2] == UInt8(ascii: "}"), let head = EnvelopeHead(buffer, typeAndRecorded: true),
                let (type, recorded) = head.typeAndRecorded, head.position > 0, head.version > 0
            else { return nil }
            func text(_ range: Range<Int>) -> String { String(decoding: buffer[range], as: UTF8.self) }
            return (head, text(head.stream), text(head.id), text(type), text(recorded))
        }
        guard let (head, stream, id, type, recorded) = read else {
            throw .invalidEvent(index: 0, field: "envelope", message: "not a stored envelope")
        }
        guard Naming.isValid(stream), let eventID = EventID(id), Naming.isValid(type),
            let time = RecordedTime(recorded)
        else {
            throw .invalidEvent(index: 0, field: "envelope", message: "a stored envelope with an invalid head")
        }
        self.bytes = bytes
        (position, self.stream, version) = (head.position, stream, head.version)
        event = ProposedEvent(id: eventID, type: type, recorded: time, stored: bytes)
    }
}
