import LMDB
import LedgerJSON

extension EventLog {
    /// Checks that the stream and id indexes both point at the event stored at `position`: the stream index entry for
    /// the envelope's stream and version, and the id index entry for its id, must hold `position`.
    /// - Throws: `EventLogError.integrity` at `position` naming the entry that is missing or points elsewhere.
    static func checkIndexed(
        _ event: StoredEventBytes,
        txn: Transaction,
        databases: Databases,
        reader: inout JSONDocumentReader
    ) throws {
        let envelope = try event.envelope(using: &reader)
        let stream = envelope.stream
        let streamKey = Array(stream.utf8) + [0] + BigEndian.bytes(envelope.version)
        let indexed = try txn.getBytes(databases.streams, key: streamKey).flatMap { BigEndian.uint64($0[...]) }
        guard indexed == event.position else {
            throw EventLogError.integrity(
                position: event.position,
                message: "the stream index entry for \(stream) version \(envelope.version) "
                    + (indexed.map { "points at position \($0)" } ?? "is missing")
            )
        }
        guard let id = envelope.id.stringValue.flatMap(EventID.init) else {
            throw EventLogError.integrity(position: event.position, message: "stored envelope has a malformed id")
        }
        let byID = try txn.getBytes(databases.ids, key: id.bytes).flatMap { BigEndian.uint64($0[...]) }
        guard byID == event.position else {
            throw EventLogError.integrity(
                position: event.position,
                message: "the id index entry for \(id) " + (byID.map { "points at position \($0)" } ?? "is missing")
            )
        }
    }

    /// With every event's entries checked (`checkIndexed`), each index must hold exactly `size` entries: one more is
    /// an entry no event owns, found by walking that index.
    /// - Throws: `EventLogError.integrity` naming the first entry that points at an event not its own.
    static func checkIndexCounts(size: UInt64, txn: Transaction, databases: Databases) throws {
        let streams = UInt64(try txn.count(databases.streams))
        if streams != size {
            try findStrayStreamEntry(txn: txn, databases: databases)
            throw EventLogError.integrity(
                position: size,
                message: "the stream index holds \(streams) entries for \(size) events"
            )
        }
        let ids = UInt64(try txn.count(databases.ids))
        if ids != size {
            try findStrayIDEntry(txn: txn, databases: databases)
            throw EventLogError.integrity(
                position: size,
                message: "the id index holds \(ids) entries for \(size) events"
            )
        }
    }

    /// Walks the stream index for the first entry whose event is not that stream's version.
    private static func findStrayStreamEntry(txn: Transaction, databases: Databases) throws {
        var reader = JSONDocumentReader()
        try txn.withCursor(databases.streams) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                let name = key.firstIndex(of: 0).map { String(decoding: key[..<$0], as: UTF8.self) } ?? ""
                let version =
                    key.count >= 9 ? BigEndian.uint64(UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...])) : nil
                let position = BigEndian.uint64(value) ?? 0
                let envelope = try event(at: position, in: txn, databases: databases).map { event in
                    try event.bytes.withUnsafeBufferPointer { bytes in
                        try StoredEventBytes(position: position, bytes: bytes).envelope(using: &reader)
                    }
                }
                guard let envelope, envelope.stream == name, envelope.version == version else {
                    throw EventLogError.integrity(
                        position: position,
                        message: "the stream index entry for \(name) version \(version.map(String.init) ?? "?") "
                            + "points at position \(position), which holds "
                            + (envelope.map { "\($0.stream) version \($0.version)" } ?? "no event")
                    )
                }
                entry = try cursor.next()
            }
        }
    }

    /// Walks the id index for the first entry whose event has another id.
    private static func findStrayIDEntry(txn: Transaction, databases: Databases) throws {
        var reader = JSONDocumentReader()
        try txn.withCursor(databases.ids) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                let id = EventID(bytes: Array(key))
                let position = BigEndian.uint64(value) ?? 0
                let stored = try event(at: position, in: txn, databases: databases).map { event in
                    try event.bytes.withUnsafeBufferPointer { bytes in
                        try StoredEventBytes(position: position, bytes: bytes).envelope(using: &reader).id.stringValue
                    }
                }
                guard let id, let stored, EventID(stored ?? "") == id else {
                    throw EventLogError.integrity(
                        position: position,
                        message: "the id index entry for \(id.map(\.description) ?? "a malformed id") points at "
                            + "position \(position), which holds " + (stored.map { "id \($0 ?? "?")" } ?? "no event")
                    )
                }
                entry = try cursor.next()
            }
        }
    }
}
