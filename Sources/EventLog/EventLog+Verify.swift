import LMDB
import LedgerProofs

extension EventLog {
    /// What a successful `verify` checked.
    public struct VerifyReport: Sendable, Hashable {
        /// Events whose bytes were rehashed and compared with their stored leaf hash.
        public var verified: UInt64
        /// The tree size the root was recomputed for.
        public var size: UInt64
        /// The recomputed root, equal to the stored one.
        public var root: MerkleHash
    }

    /// Recomputes the leaf hash of every event in `from...to` from its stored bytes and compares it with the stored
    /// leaf hash, checks positions have no gaps and that the stream and id indexes hold each event's entries pointing
    /// at it, then recomputes the Merkle root over all leaves and compares it with the stored root, and the root of
    /// every stored subtree (`StoredSubtrees`) with its leaves. Every check also
    /// requires each index to hold exactly one entry per event (a count, so slices of a long log each check it).
    ///
    /// Works in short read transactions, so it never blocks writers or map growth for long.
    /// - Parameters:
    ///   - from: the first position to rehash (default 1).
    ///   - to: the last position to rehash (default: the head when the check starts).
    ///   - progress: called with each position checked so far (for progress bars).
    /// - Throws: `EventLogError.integrity` with the first position whose bytes, hash or index entries do not match.
    public func verify(
        from: UInt64 = 1,
        to: UInt64? = nil,
        progress: (UInt64) -> Void = { _ in }
    ) throws(EventLogError) -> VerifyReport {
        let last = min(to ?? head.position, head.position)
        var position = max(from, 1)
        var verified: UInt64 = 0
        while position <= last {
            let end = min(position + 4095, last)
            try reading { txn in try checkLeaves(from: position, to: end, txn: txn) }
            verified += end - position + 1
            position = end + 1
            progress(verified)
        }
        return try reading { txn in
            let report = try checkRoot(txn: txn, verified: verified)
            try StoredSubtrees.verify(size: report.size, txn: txn, databases: databases)
            try Self.checkIndexCounts(size: report.size, txn: txn, databases: databases)
            return report
        }
    }

    private func checkLeaves(from: UInt64, to: UInt64, txn: Transaction) throws {
        var chunkIndex = UInt64.max
        var chunk = [UInt8]()
        try txn.withCursor(databases.events) { cursor in
            var expected = from
            var entry = try cursor.seek(atLeast: BigEndian.bytes(from))
            while expected <= to {
                guard let (key, value) = entry, let position = BigEndian.uint64(key) else {
                    throw EventLogError.integrity(position: expected, message: "the event is missing")
                }
                guard position == expected else {
                    throw EventLogError.integrity(position: expected, message: "the event is missing (gap)")
                }
                let index = (position - 1) / Self.leavesPerChunk
                if index != chunkIndex {
                    chunk = try txn.getBytes(databases.leaves, key: BigEndian.bytes(index)) ?? []
                    chunkIndex = index
                }
                let offset = Int((position - 1) % Self.leavesPerChunk) * 32
                guard chunk.count >= offset + 32, let stored = MerkleHash(chunk[offset..<(offset + 32)]) else {
                    throw EventLogError.integrity(position: position, message: "the stored leaf hash is missing")
                }
                guard MerkleHash.leaf(value) == stored else {
                    throw EventLogError.integrity(
                        position: position,
                        message: "the stored bytes do not match their leaf hash"
                    )
                }
                try Self.checkIndexed(
                    position: position,
                    envelope: value.assumingMemoryBound(to: UInt8.self),
                    txn: txn,
                    databases: databases
                )
                expected += 1
                entry = try cursor.next()
            }
        }
    }

    private func checkRoot(txn: Transaction, verified: UInt64) throws -> VerifyReport {
        guard let raw = try txn.getBytes(databases.meta, key: Self.stateKey) else {
            return VerifyReport(verified: verified, size: 0, root: .emptyTree)
        }
        guard raw.count >= 16, let size = BigEndian.uint64(raw[0..<8]) else {
            throw EventLogError.integrity(position: 0, message: "the stored tree state is malformed")
        }
        let frontier = stride(from: 16, to: raw.count, by: 32).compactMap { MerkleHash(raw[$0..<($0 + 32)]) }
        guard let storedTree = MerkleTree(size: size, frontier: frontier) else {
            throw EventLogError.integrity(position: size, message: "the stored Merkle frontier does not fit its size")
        }
        var tree = MerkleTree()
        try txn.withCursor(databases.leaves) { cursor in
            var entry = try cursor.first()
            while let (_, value) = entry, tree.size < size {
                var offset = 0
                while offset + 32 <= value.count, tree.size < size, let leaf = MerkleHash(value[offset..<(offset + 32)])
                {
                    tree.append(leaf)
                    offset += 32
                }
                entry = try cursor.next()
            }
        }
        guard tree.size == size else {
            throw EventLogError.integrity(position: tree.size + 1, message: "leaf hashes are missing")
        }
        guard tree.root == storedTree.root else {
            throw EventLogError.integrity(
                position: size,
                message: "the root recomputed from the leaf hashes differs from the stored root"
            )
        }
        return VerifyReport(verified: verified, size: size, root: tree.root)
    }
}
