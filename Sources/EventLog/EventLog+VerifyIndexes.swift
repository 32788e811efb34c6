import LMDB
import LedgerWire

extension EventLog {
    /// Checks that the stream and id indexes both point at the event stored at `position`: the stream index entry for
    /// the envelope's stream and version, and the id index entry for its id, must hold `position`.
    ///
    /// Reads only the envelope's head (`EnvelopeHead`); `verify` has already matched the bytes with their leaf hash.
    /// - Throws: `EventLogError.integrity` at `position` naming the entry that is missing or points elsewhere.
    static func checkIndexed(
        position: UInt64,
        envelope bytes: UnsafeBufferPointer<UInt8>,
        txn: Transaction,
        databases: Databases
    ) throws {
        guard let head = EnvelopeHead(bytes), head.position == position,
            let id = EventID(Substring(decoding: UnsafeBufferPointer(rebasing: bytes[head.id]), as: UTF8.self))
        else {
            throw EventLogError.integrity(
                position: position,
                message: "stored envelope lacks its own position, stream, version or id"
            )
        }
        let stream = String(decoding: UnsafeBufferPointer(rebasing: bytes[head.stream]), as: UTF8.self)
        let streamKey = Array(bytes[head.stream]) + [0] + BigEndian.bytes(head.version)
        let byStream = try txn.getBytes(databases.streams, key: streamKey).flatMap { BigEndian.uint64($0[...]) }
        guard byStream == position else {
            throw EventLogError.integrity(
                position: position,
                message: "the stream index entry for \(stream) version \(head.version) "
                    + (byStream.map { "points at position \($0)" } ?? "is missing")
            )
        }
        let byID = try databases.position(of: id, in: txn)
        guard byID == position else {
            throw EventLogError.integrity(
                position: position,
                message: "the id index entry for \(id) " + (byID.map { "points at position \($0)" } ?? "is missing")
            )
        }
    }

    /// With every event's entries checked (`checkIndexed`), each index must hold exactly `size` entries: another is
    /// an entry no event owns, found by walking that index.
    /// - Throws: `EventLogError.integrity` naming the first entry that points at an event not its own.
    static func checkIndexCounts(size: UInt64, txn: Transaction, databases: Databases) throws {
        for (name, database) in [("stream", databases.streams), ("id", databases.ids)] {
            let count = UInt64(try txn.count(database))
            guard count != size else { continue }
            try findStrayEntry(in: database, isStreamIndex: name == "stream", txn: txn, databases: databases)
            throw EventLogError.integrity(
                position: size,
                message: "the \(name) index holds \(count) entries for \(size) events"
            )
        }
    }

    /// Walks an index for the first entry whose key is not that of the event it points at (a stream index key is the
    /// stream name, a 0 byte and the version; an id index key is the id's 16 bytes).
    private static func findStrayEntry(
        in database: Database,
        isStreamIndex: Bool,
        txn: Transaction,
        databases: Databases
    ) throws {
        try txn.withCursor(database) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                let position = BigEndian.uint64(value) ?? 0
                let ownKey = try event(at: position, in: txn, databases: databases)?.bytes.withUnsafeBufferPointer {
                    bytes -> [UInt8]? in
                    guard let head = EnvelopeHead(bytes) else { return nil }
                    if isStreamIndex { return Array(bytes[head.stream]) + [0] + BigEndian.bytes(head.version) }
                    let text = Substring(decoding: UnsafeBufferPointer(rebasing: bytes[head.id]), as: UTF8.self)
                    return EventID(text)?.bytes
                }
                guard let ownKey, key.elementsEqual(ownKey) else {
                    let entryName =
                        isStreamIndex
                        ? "the stream index entry for \(streamEntryName(key))"
                        : "the id index entry for \(EventID(bytes: key).map(\.description) ?? "a malformed id")"
                    throw EventLogError.integrity(
                        position: position,
                        message: "\(entryName) points at position \(position), "
                            + (ownKey == nil ? "which holds no event" : "whose event is not its own")
                    )
                }
                entry = try cursor.next()
            }
        }
    }

    /// `name version N` for a stream index key.
    private static func streamEntryName(_ key: UnsafeRawBufferPointer) -> String {
        guard key.count >= 9, let version = BigEndian.uint64(UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...]))
        else { return "a malformed key" }
        return "\(String(decoding: key[..<(key.count - 9)], as: UTF8.self)) version \(version)"
    }
}
