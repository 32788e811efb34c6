import LMDB

/// State that a reader of the log (a projection) saved together with the position it reflects, so that it resumes
/// there after a restart. Written by the writer thread in a log transaction, so it is as durable as the events.
public struct ProjectionCheckpoint: Sendable, Hashable {
    /// Whose state this is.
    public var name: String
    /// The last position folded into `state`.
    public var position: UInt64
    /// The saved bytes, opaque to the log.
    public var state: [UInt8]

    public init(name: String, position: UInt64, state: [UInt8]) {
        self.name = name
        self.position = position
        self.state = state
    }

    /// The stored value: position, then state.
    var encoded: [UInt8] {
        var out = BigEndian.bytes(position)
        out.append(contentsOf: state)
        return out
    }
}

extension EventLog {
    /// The last checkpoint saved under `name`, or nil.
    public func checkpoint(named name: String) throws(EventLogError) -> ProjectionCheckpoint? {
        try reading { txn in
            guard let raw = try txn.getBytes(databases.checkpoints, key: Array(name.utf8)) else { return nil }
            guard raw.count >= 8, let position = BigEndian.uint64(raw[0..<8]) else {
                throw EventLogError.integrity(position: 0, message: "checkpoint \(name) is malformed")
            }
            return ProjectionCheckpoint(name: name, position: position, state: Array(raw[8...]))
        }
    }

    /// Writes checkpoints inside a write transaction.
    static func write(_ checkpoints: [ProjectionCheckpoint], txn: Transaction, databases: Databases) throws {
        for checkpoint in checkpoints {
            try txn.put(databases.checkpoints, key: Array(checkpoint.name.utf8), value: checkpoint.encoded)
        }
    }
}
