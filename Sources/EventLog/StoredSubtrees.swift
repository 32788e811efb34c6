import LMDB
import LedgerProofs

/// The roots of the log's aligned perfect subtrees of 2^8, 2^16, 2^24 and 2^32 leaves, in the `subtrees` database
/// (key: the height, then the subtree's index, 8-byte big-endian; value: its 32-byte root).
///
/// A past root or a proof is made of subtrees of the tree; with these stored, computing one reads at most 255 hashes
/// per height instead of every leaf, so `root(size:)`, `PROVE` and `CONSISTENCY` cost `O(log n)` reads, and a start
/// that must confirm the root of an earlier size (after a crash) does not rehash the log. The writer stores each
/// subtree in the transaction whose leaves complete it; opening a log whose subtrees lag its leaves (a ledger written
/// before they were kept, or by an older build) fills them in once. `verify()` recomputes them all.
enum StoredSubtrees {
    /// The heights kept, each 256 times the one below: one leaf chunk, then 256 of the height below.
    static let heights = [8, 16, 24, 32]
    /// Subtrees per subtree of the next height.
    static let fanOut = 256

    static func key(height: Int, index: UInt64) -> [UInt8] {
        [UInt8(height)] + BigEndian.bytes(index)
    }

    /// The stored root of subtree `index` of `height` (leaves `index << height ..< (index + 1) << height`), or nil.
    static func root(height: Int, index: UInt64, txn: Transaction, databases: Databases) throws -> MerkleHash? {
        try key(height: height, index: index).withUnsafeBytes { key in
            try txn.get(databases.subtrees, key: key).flatMap { MerkleHash($0) }
        }
    }

    /// The root of one full chunk of leaf hashes (256 concatenated hashes).
    static func chunkRoot(_ chunk: ArraySlice<UInt8>) -> MerkleHash {
        precondition(chunk.count == Int(EventLog.leavesPerChunk) * 32, "a chunk root is of a full chunk")
        var tree = MerkleTree()
        chunk.withUnsafeBytes { bytes in
            for offset in stride(from: 0, to: bytes.count, by: 32) {
                tree.append(MerkleHash(loading: bytes, fromByteOffset: offset))
            }
        }
        return tree.root
    }

    /// Stores the subtrees above one chunk that the tree completed in growing from `oldSize` to `newSize` leaves
    /// (the writer stores each chunk's own root as it writes the chunk). One whose parts are missing (a log whose
    /// subtrees could not be filled in, see `fill`) is left out: proofs then compute it from the leaves.
    static func storeCompleted(from oldSize: UInt64, to newSize: UInt64, txn: Transaction, databases: Databases) throws
    {
        for height in heights.dropFirst() {
            let span = UInt64(1) << height
            for index in (oldSize / span)..<(newSize / span) {
                guard let root = try combined(height: height, index: index, txn: txn, databases: databases) else {
                    continue
                }
                try txn.put(databases.subtrees, key: key(height: height, index: index), value: root.bytes)
            }
        }
    }

    /// Stores every complete subtree of a tree of `size` leaves that is not stored yet, from the leaf chunks and the
    /// heights below; stops at a height's first subtree whose parts are missing (a damaged log, which `verify`
    /// names). Returns how many it stored.
    @discardableResult
    static func fill(through size: UInt64, txn: Transaction, databases: Databases) throws -> Int {
        var stored = 0
        for height in heights {
            let span = UInt64(1) << height
            var index = try count(height: height, txn: txn, databases: databases)
            while index < size / span {
                let root: MerkleHash?
                if height == heights[0] {
                    let chunk = try txn.getBytes(databases.leaves, key: BigEndian.bytes(index)) ?? []
                    root = chunk.count == Int(EventLog.leavesPerChunk) * 32 ? chunkRoot(chunk[...]) : nil
                } else {
                    root = try combined(height: height, index: index, txn: txn, databases: databases)
                }
                guard let root else { break }
                try txn.put(databases.subtrees, key: key(height: height, index: index), value: root.bytes)
                stored += 1
                index += 1
            }
        }
        return stored
    }

    /// Compares every stored subtree of a tree of `size` leaves with its root recomputed from the leaf hashes.
    /// - Throws: `EventLogError.integrity` naming the first position of the first subtree missing or different.
    static func verify(size: UInt64, txn: Transaction, databases: Databases) throws {
        // The roots recomputed at each height that are not yet gathered into one of the next.
        var pending = heights.map { _ in [MerkleHash]() }
        var chunk: UInt64 = 0
        try txn.withCursor(databases.leaves) { cursor in
            var entry = try cursor.first()
            while chunk < size / EventLog.leavesPerChunk, let (key, value) = entry, BigEndian.uint64(key) == chunk {
                let bytes = Array(value)
                guard bytes.count == Int(EventLog.leavesPerChunk) * 32 else { break }
                var root = chunkRoot(bytes[...])
                var index = chunk
                for (level, height) in heights.enumerated() {
                    try check(root, height: height, index: index, txn: txn, databases: databases)
                    pending[level].append(root)
                    guard pending[level].count == fanOut else { break }
                    root = MerkleTree.root(of: pending[level][...])
                    pending[level].removeAll(keepingCapacity: true)
                    index /= UInt64(fanOut)
                    guard level + 1 < heights.count else { break }
                }
                chunk += 1
                entry = try cursor.next()
            }
        }
        guard chunk == size / EventLog.leavesPerChunk else {
            throw EventLogError.integrity(
                position: chunk * EventLog.leavesPerChunk + 1,
                message: "leaf hashes are missing"
            )
        }
    }

    private static func check(
        _ root: MerkleHash,
        height: Int,
        index: UInt64,
        txn: Transaction,
        databases: Databases
    ) throws {
        let first = (index << height) + 1
        guard let stored = try Self.root(height: height, index: index, txn: txn, databases: databases) else {
            throw EventLogError.integrity(
                position: first,
                message: "the stored subtree root of 2^\(height) leaves is missing"
            )
        }
        guard stored == root else {
            throw EventLogError.integrity(
                position: first,
                message: "the stored subtree root of 2^\(height) leaves differs from its leaf hashes"
            )
        }
    }

    /// The root of subtree `index` of `height` made from the 256 stored subtrees of the height below, or nil when
    /// one is missing.
    private static func combined(
        height: Int,
        index: UInt64,
        txn: Transaction,
        databases: Databases
    ) throws -> MerkleHash? {
        let below = height - 8
        let first = index * UInt64(fanOut)
        var parts = [MerkleHash]()
        parts.reserveCapacity(fanOut)
        try txn.withCursor(databases.subtrees) { cursor in
            var entry = try cursor.seek(atLeast: key(height: below, index: first))
            while parts.count < fanOut, let (key, value) = entry,
                key.elementsEqual(Self.key(height: below, index: first + UInt64(parts.count))),
                let part = MerkleHash(value)
            {
                parts.append(part)
                entry = try cursor.next()
            }
        }
        return parts.count == fanOut ? MerkleTree.root(of: parts[...]) : nil
    }

    /// How many subtrees of `height` are stored from index 0 on: one past the last (they are stored in order).
    private static func count(height: Int, txn: Transaction, databases: Databases) throws -> UInt64 {
        try txn.withCursor(databases.subtrees) { cursor in
            let after = try cursor.seek(atLeast: [UInt8(height + 1)])
            guard let (key, _) = after == nil ? try cursor.last() : try cursor.previous(),
                key.count == 9, key[key.startIndex] == UInt8(height),
                let index = BigEndian.uint64(UnsafeRawBufferPointer(rebasing: key[(key.startIndex + 1)...]))
            else { return 0 }
            return index + 1
        }
    }
}
