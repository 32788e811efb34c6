import LMDB

/// State that a reader of the log (a projection) saved together with the position it reflects, so that it resumes
/// there after a restart. Written by the writer thread in a log transaction, so it is as durable as the events.
///
/// A checkpoint is a small `state` saved whole each time, plus a list of records kept between saves: a save adds
/// only its new `records` (or, with `replacesRecords`, replaces the list), so a large state that only grows costs
/// in proportion to what changed.
public struct ProjectionCheckpoint: Sendable, Hashable {
    /// One stored record, opaque to the log, under an increasing key (a projection uses the log position).
    public struct Record: Sendable, Hashable {
        public var key: UInt64
        public var bytes: [UInt8]

        public init(key: UInt64, bytes: [UInt8]) {
            self.key = key
            self.bytes = bytes
        }
    }

    /// Whose state this is.
    public var name: String
    /// The last position folded into the state.
    public var position: UInt64
    /// The bytes saved whole each time, opaque to the log.
    public var state: [UInt8]
    /// Records to store (replacing any stored under the same key).
    public var records: [Record]
    /// Whether the stored records are dropped before `records` are stored.
    public var replacesRecords: Bool

    /// A checkpoint; by default its `state` is all there is (no records, and none kept from earlier saves).
    public init(name: String, position: UInt64, state: [UInt8], records: [Record] = [], replacesRecords: Bool = true) {
        self.name = name
        self.position = position
        self.state = state
        self.records = records
        self.replacesRecords = replacesRecords
    }

    /// What to store when `later` is saved while this one still waits to be written: the later state, with this
    /// one's records too unless the later one replaces them.
    func followed(by later: ProjectionCheckpoint) -> ProjectionCheckpoint {
        guard !later.replacesRecords else { return later }
        var merged = later
        merged.records = records + later.records
        merged.replacesRecords = replacesRecords
        return merged
    }

    /// The stored value: position, then state.
    var encoded: [UInt8] {
        var out = BigEndian.bytes(position)
        out.append(contentsOf: state)
        return out
    }

    /// The key prefix of this checkpoint's records: the name and a 0 byte.
    static func recordPrefix(_ name: String) -> [UInt8] { Array(name.utf8) + [0] }
}

extension EventLog {
    /// The last checkpoint saved under `name` (its state, without its records), or nil.
    public func checkpoint(named name: String) throws(EventLogError) -> ProjectionCheckpoint? {
        try storedCheckpoint(named: name) { position, state in
            ProjectionCheckpoint(name: name, position: position, state: Array(state))
        }
    }

    /// The position of the last checkpoint saved under `name` (0 when there is none), read without copying its state.
    public func checkpointPosition(named name: String) throws(EventLogError) -> UInt64 {
        try storedCheckpoint(named: name) { position, _ in position } ?? 0
    }

    /// `body` applied to the stored checkpoint `name`'s position and state bytes (valid only during the call), or nil.
    private func storedCheckpoint<Result>(
        named name: String,
        _ body: (UInt64, UnsafeRawBufferPointer) -> Result
    ) throws(EventLogError) -> Result? {
        try reading { txn in
            let raw = try Array(name.utf8).withUnsafeBytes { try txn.get(databases.checkpoints, key: $0) }
            guard let raw else { return nil }
            guard raw.count >= 8, let position = BigEndian.uint64(UnsafeRawBufferPointer(rebasing: raw[0..<8])) else {
                throw EventLogError.integrity(position: 0, message: "checkpoint \(name) is malformed")
            }
            return body(position, UnsafeRawBufferPointer(rebasing: raw[8...]))
        }
    }

    /// Calls `body` with each stored record of the checkpoint `name`, in key order, in one read transaction (the bytes
    /// are valid only during the call); stops early when `body` returns false.
    public func forEachCheckpointRecord(
        named name: String,
        _ body: (UInt64, UnsafeRawBufferPointer) -> Bool
    ) throws(EventLogError) {
        let prefix = ProjectionCheckpoint.recordPrefix(name)
        try reading { txn in
            try txn.withCursor(databases.checkpointRecords) { cursor in
                var entry = try cursor.seek(atLeast: prefix)
                while let (key, value) = entry, key.count == prefix.count + 8, key.starts(with: prefix),
                    let recordKey = BigEndian.uint64(UnsafeRawBufferPointer(rebasing: key[prefix.count...])),
                    body(recordKey, value)
                {
                    entry = try cursor.next()
                }
            }
        }
    }

    /// Writes checkpoints inside a write transaction.
    static func write(_ checkpoints: [ProjectionCheckpoint], txn: Transaction, databases: Databases) throws {
        for checkpoint in checkpoints {
            let prefix = ProjectionCheckpoint.recordPrefix(checkpoint.name)
            if checkpoint.replacesRecords { try deleteRecords(prefix, txn: txn, databases: databases) }
            for record in checkpoint.records {
                try txn.put(databases.checkpointRecords, key: prefix + BigEndian.bytes(record.key), value: record.bytes)
            }
            try txn.put(databases.checkpoints, key: Array(checkpoint.name.utf8), value: checkpoint.encoded)
        }
    }

    /// Deletes every record under `prefix`, a batch of keys at a time.
    private static func deleteRecords(_ prefix: [UInt8], txn: Transaction, databases: Databases) throws {
        while true {
            let keys = try txn.withCursor(databases.checkpointRecords) { cursor in
                var keys = [[UInt8]]()
                var entry = try cursor.seek(atLeast: prefix)
                while let (key, _) = entry, keys.count < 10_000, key.starts(with: prefix) {
                    keys.append(Array(key))
                    entry = try cursor.next()
                }
                return keys
            }
            guard !keys.isEmpty else { return }
            for key in keys { try txn.delete(databases.checkpointRecords, key: key) }
        }
    }
}
