import LMDB
import LedgerWire

/// The named databases of the log.
///
/// - `events`: position (8-byte big-endian) -> envelope bytes, appended in order.
/// - `ids`: event id (16 bytes) -> position.
/// - `streams`: stream name, a 0 byte, version (8-byte big-endian) -> position.
/// - `leaves`: chunk number (8-byte big-endian) -> up to 256 concatenated 32-byte leaf hashes.
/// - `subtrees`: height (1 byte: 8, 16, 24 or 32), subtree index (8-byte big-endian) -> the 32-byte root of the
///   subtree of 2^height leaves from `index << height` (`StoredSubtrees`).
/// - `meta`: `format` -> on-disk format version; `state` -> head, last recorded time and the Merkle frontier;
///   `imported` -> the last position of the imported prefix (events that carried their own recorded time).
/// - `checkpoints`: name -> position (8-byte big-endian) and the state a reader of the log saved at that position.
/// - `checkpoint-records`: name, a 0 byte, key (8-byte big-endian) -> one record a checkpoint keeps between saves.
/// - `checkpoints-signed`: tree size (8-byte big-endian) -> the signed checkpoint note of that size (UTF-8).
/// - `consumers`: durable consumer name -> its acknowledged position (8-byte big-endian).
struct Databases: Sendable {
    let events: Database
    let ids: Database
    let streams: Database
    let leaves: Database
    let subtrees: Database
    let meta: Database
    let checkpoints: Database
    let checkpointRecords: Database
    let signedCheckpoints: Database
    let consumers: Database

    init(environment: Environment) throws {
        events = try environment.openDatabase("events")
        ids = try environment.openDatabase("ids")
        streams = try environment.openDatabase("streams")
        leaves = try environment.openDatabase("leaves")
        subtrees = try environment.openDatabase("subtrees")
        meta = try environment.openDatabase("meta")
        checkpoints = try environment.openDatabase("checkpoints")
        checkpointRecords = try environment.openDatabase("checkpoint-records")
        signedCheckpoints = try environment.openDatabase("checkpoints-signed")
        consumers = try environment.openDatabase("consumers")
    }

    /// The current version of `stream` in `txn` (0 when it has no events): the last key with the stream's prefix.
    func version(of stream: String, in txn: Transaction) throws -> UInt64 {
        let prefix = Array(stream.utf8) + [0]
        return try txn.withCursor(streams) { cursor in
            let after = try cursor.seek(atLeast: Array(stream.utf8) + [1])
            guard let (key, _) = after == nil ? try cursor.last() : try cursor.previous(),
                key.count == prefix.count + 8, key.starts(with: prefix)
            else { return 0 }
            return BigEndian.uint64(UnsafeRawBufferPointer(rebasing: key[prefix.count...])) ?? 0
        }
    }

    /// The position the id index holds for `id` in `txn`, or nil.
    func position(of id: EventID, in txn: Transaction) throws -> UInt64? {
        try id.withUnsafeBytes { try txn.get(ids, key: $0) }.flatMap(BigEndian.uint64)
    }
}
