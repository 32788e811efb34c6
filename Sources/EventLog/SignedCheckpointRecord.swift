import LMDB

/// A signed checkpoint the log keeps: the C2SP signed note of the tree of `size` events, as the daemon handed it
/// out. Written by the writer thread in a log transaction; one per tree size.
public struct SignedCheckpointRecord: Sendable, Hashable {
    /// The tree size the note signs.
    public var size: UInt64
    /// The whole signed note: text, blank line and signature lines.
    public var note: String

    public init(size: UInt64, note: String) {
        self.size = size
        self.note = note
    }
}

extension EventLog {
    /// The signed checkpoint of tree size `size`, or nil when none is stored.
    public func signedCheckpoint(size: UInt64) throws(EventLogError) -> SignedCheckpointRecord? {
        try reading { txn in
            try txn.getBytes(databases.signedCheckpoints, key: BigEndian.bytes(size)).map {
                SignedCheckpointRecord(size: size, note: String(decoding: $0, as: UTF8.self))
            }
        }
    }

    /// Up to `limit` stored signed checkpoints of tree sizes from `size` up, in order of size.
    public func signedCheckpoints(from size: UInt64, limit: Int) throws(EventLogError) -> [SignedCheckpointRecord] {
        try reading { txn in
            try txn.withCursor(databases.signedCheckpoints) { cursor in
                var records = [SignedCheckpointRecord]()
                var entry = try cursor.seek(atLeast: BigEndian.bytes(size))
                while records.count < limit, let (key, value) = entry {
                    if let size = BigEndian.uint64(key) {
                        records.append(SignedCheckpointRecord(size: size, note: String(decoding: value, as: UTF8.self)))
                    }
                    entry = try cursor.next()
                }
                return records
            }
        }
    }

    /// The stored signed checkpoint of the largest tree size, or nil when none is stored.
    public func latestSignedCheckpoint() throws(EventLogError) -> SignedCheckpointRecord? {
        try reading { txn in
            try txn.withCursor(databases.signedCheckpoints) { cursor in
                guard let (key, value) = try cursor.last(), let size = BigEndian.uint64(key) else { return nil }
                return SignedCheckpointRecord(size: size, note: String(decoding: value, as: UTF8.self))
            }
        }
    }

    /// Writes signed checkpoints inside a write transaction (replacing one of the same size).
    static func write(_ records: [SignedCheckpointRecord], txn: Transaction, databases: Databases) throws {
        for record in records {
            try txn.put(databases.signedCheckpoints, key: BigEndian.bytes(record.size), value: Array(record.note.utf8))
        }
    }
}
