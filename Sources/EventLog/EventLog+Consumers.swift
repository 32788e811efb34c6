import LMDB
import LedgerWire

/// Durable consumers' acknowledged positions, in the `consumers` database: written by the writer thread in a log
/// transaction (`GroupCommitWriter.acknowledge`), so an acknowledgement is as durable as the events it covers.
extension EventLog {
    /// Every consumer's acknowledged position, by name.
    public func consumerPositions() throws(EventLogError) -> [String: UInt64] {
        try reading { txn in
            try txn.withCursor(databases.consumers) { cursor in
                var positions = [String: UInt64]()
                var entry = try cursor.first()
                while let (key, value) = entry {
                    if let position = BigEndian.uint64(value) {
                        positions[String(decoding: key, as: UTF8.self)] = position
                    }
                    entry = try cursor.next()
                }
                return positions
            }
        }
    }

    /// Stores `positions` (consumer name to acknowledged position) in `txn`; a position never goes back.
    static func write(_ positions: [String: UInt64], txn: Transaction, databases: Databases) throws {
        for (name, position) in positions {
            let key = Array(name.utf8)
            let stored = try txn.getBytes(databases.consumers, key: key).flatMap { BigEndian.uint64($0[...]) } ?? 0
            guard position > stored else { continue }
            try txn.put(databases.consumers, key: key, value: BigEndian.bytes(position))
        }
    }
}
