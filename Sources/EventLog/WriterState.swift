import LMDB
import LedgerProofs
import LedgerWire

/// What the writer keeps between transactions: the Merkle tree, the leaf hashes of the last partial chunk, the last
/// recorded time, the largest stored event id and a cache of stream versions. Changed only after a transaction
/// commits.
struct WriterState: Sendable {
    var tree: MerkleTree
    /// Leaf hashes of positions after the last full chunk (fewer than `EventLog.leavesPerChunk`).
    var tailChunk: [UInt8]
    /// Microseconds; recorded times never go backwards.
    var lastRecorded: UInt64
    /// The last position of the imported prefix: events 1 through it carried their own recorded times (0: none).
    var importedThrough: UInt64 = 0
    /// The largest key of the id index (nil when none). An id above it cannot be stored yet, so time-ordered ids
    /// skip the duplicate lookup and are appended to the index without a search.
    var maxID: EventID?
    /// Current versions of recently written streams, so most appends skip the stream-index lookup.
    var streamVersions = StreamVersionCache()
    /// The replication epoch as recorded (`meta/epoch`), which decides whose appends the writer takes.
    var epoch: ReplicationEpoch?

    static let empty = WriterState(tree: MerkleTree(), tailChunk: [], lastRecorded: 0)

    /// The `meta/state` value: head, last recorded time, then the frontier hashes.
    var encoded: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(16 + 32 * tree.frontier.count)
        BigEndian.append(tree.size, to: &out)
        BigEndian.append(lastRecorded, to: &out)
        for hash in tree.frontier { hash.append(to: &out) }
        return out
    }
}

extension EventLog {
    static let stateKey = Array("state".utf8)
    static let formatKey = Array("format".utf8)
    /// `meta/imported`: the last position of the imported prefix (8-byte big-endian); absent means 0.
    static let importedKey = Array("imported".utf8)

    /// Reads the stored state, writing the format marker into a new environment.
    static func loadState(environment: Environment, databases: Databases) throws -> WriterState {
        try environment.writeSynced { txn in
            if let format = try txn.getBytes(databases.meta, key: formatKey) {
                guard BigEndian.uint64(format[...]) == formatVersion else {
                    throw EventLogError.storage(
                        "unsupported on-disk format \(format); this build reads \(formatVersion)"
                    )
                }
            } else {
                guard try txn.count(databases.events) == 0 else {
                    throw EventLogError.storage("the environment holds events but no format marker")
                }
                try txn.put(databases.meta, key: formatKey, value: BigEndian.bytes(formatVersion))
            }
            let epoch = try ReplicationEpoch.read(in: txn, databases: databases)
            guard let raw = try txn.getBytes(databases.meta, key: stateKey) else {
                var empty = WriterState.empty
                empty.epoch = epoch
                return empty
            }
            guard raw.count >= 16, (raw.count - 16) % 32 == 0,
                let size = BigEndian.uint64(raw[0..<8]), let lastRecorded = BigEndian.uint64(raw[8..<16])
            else { throw EventLogError.integrity(position: 0, message: "the stored tree state is malformed") }
            let frontier = stride(from: 16, to: raw.count, by: 32).compactMap { MerkleHash(raw[$0..<($0 + 32)]) }
            guard let tree = MerkleTree(size: size, frontier: frontier) else {
                throw EventLogError.integrity(
                    position: size,
                    message: "the stored Merkle frontier does not fit its size"
                )
            }
            let lastPosition = try txn.withCursor(databases.events) { cursor in
                try cursor.last().flatMap { BigEndian.uint64($0.key) } ?? 0
            }
            guard lastPosition == size else {
                throw EventLogError.integrity(
                    position: lastPosition,
                    message: "the last stored event is at \(lastPosition) but the tree has \(size) leaves"
                )
            }
            var tail = [UInt8]()
            if size % leavesPerChunk != 0 {
                tail = try txn.getBytes(databases.leaves, key: BigEndian.bytes(size / leavesPerChunk)) ?? []
                guard tail.count == Int(size % leavesPerChunk) * 32 else {
                    throw EventLogError.integrity(position: size, message: "the last leaf-hash chunk is incomplete")
                }
            }
            try StoredSubtrees.fill(through: size, txn: txn, databases: databases)
            // A last key that is not 16 bytes (a damaged index, which `verify` names) counts as the greatest id, so
            // that every id is looked up and inserted rather than appended after it.
            let maxID = try txn.withCursor(databases.ids) { try $0.last().map { EventID(bytes: $0.key) ?? .max } }
            let imported = try txn.getBytes(databases.meta, key: importedKey).flatMap { BigEndian.uint64($0[...]) }
            return WriterState(
                tree: tree,
                tailChunk: tail,
                lastRecorded: lastRecorded,
                importedThrough: imported ?? 0,
                maxID: maxID,
                epoch: epoch
            )
        }
    }
}
