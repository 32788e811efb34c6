import LedgerJSON
import LedgerWire

/// A request line, parsed and checked for arity and argument syntax.
public enum Command: Sendable, Hashable {
    case ping
    case quit
    case hello
    case status
    /// `APPEND <stream> <expected> <json>`.
    case append(stream: String, expected: ExpectedVersion, events: JSONNode)
    /// `READ <stream> [from-version] [limit]`.
    case read(stream: String, from: UInt64, limit: Int?)
    /// `READBACK <stream> [from-version] [limit]`: newest first, from `from` down (0: from the stream's last).
    case readBack(stream: String, from: UInt64, limit: Int?)
    /// `STREAM <stream>`: the stream's version and its first and last positions.
    case stream(name: String)
    /// `READALL [from-position] [limit]`.
    case readAll(from: UInt64, limit: Int?)
    /// `SUBSCRIBE [from-position] [type ...] [stream=PREFIX ...]`.
    case subscribe(from: UInt64, filter: EventFilter)
    /// `UNSUBSCRIBE`: ends the connection's subscription or consumption.
    case unsubscribe
    /// `CONSUME <name> [type ...] [stream=PREFIX ...]`: the durable consumer `name`'s events, after its acknowledged
    /// position.
    case consume(name: String, filter: EventFilter)
    /// `ACK <position>`: the connection's consumer has handled every event up to `position`.
    case ack(position: UInt64)
    /// `VERIFY [from] [to]`: nil `from` means 1, nil `to` the head.
    case verify(from: UInt64?, to: UInt64?)
    /// `QUERY [AFTER <position>] <family> <argument> ...`: the words after the optional `AFTER` clause.
    case query(arguments: [String], after: UInt64?)
    /// `REBUILD <projection>`.
    case rebuild(projection: String)
    /// `PROVE <position> [size]`: `size` nil means the head.
    case prove(position: UInt64, size: UInt64?)
    /// `CONSISTENCY <old-size> [new-size]`: `newSize` nil means the head.
    case consistency(oldSize: UInt64, newSize: UInt64?)
    /// `CHECKPOINT [size]`: `size` nil means the head.
    case checkpoint(size: UInt64?)
    /// `CHECKPOINTS [from-size] [limit]`: the stored signed checkpoints of sizes from `from` up, at most `limit`.
    case checkpoints(from: UInt64, limit: Int?)
    /// `COSIGN <size> <witness> <signature>`: a witness's cosignature of the stored checkpoint of `size`, as the
    /// words of its signature line (the witness's key name and base64 of key id, time and signature).
    case cosign(size: UInt64, witness: String, signature: String)
    /// `BACKUP <name>`.
    case backup(name: String)
    case metrics
    /// `REPLICATE <from-position> <stored-position> [limit]`: a follower reading the log from `from`, having stored
    /// the primary's log through `stored` durably.
    case replicate(from: UInt64, stored: UInt64, limit: Int?)
    /// `STORED <position>`: a follower telling its primary it has stored the log through `position` durably (taken
    /// as soon as it is read, even while an earlier request of the connection waits).
    case stored(position: UInt64)
    /// `PROMOTE`: a follower (or a fenced former primary) becomes the primary of the next epoch.
    case promote
    /// `FENCE <epoch> <primary>`: a newer primary telling this ledger that `primary` leads `epoch` (at least 1).
    case fence(epoch: UInt64, primary: String)

    /// The command's verb.
    public var verb: Verb {
        switch self {
        case .ping: .ping
        case .quit: .quit
        case .hello: .hello
        case .status: .status
        case .append: .append
        case .read: .read
        case .readAll: .readAll
        case .readBack: .readBack
        case .stream: .stream
        case .subscribe: .subscribe
        case .unsubscribe: .unsubscribe
        case .consume: .consume
        case .ack: .ack
        case .verify: .verify
        case .query: .query
        case .rebuild: .rebuild
        case .prove: .prove
        case .consistency: .consistency
        case .checkpoint: .checkpoint
        case .cosign: .cosign
        case .checkpoints: .checkpoints
        case .backup: .backup
        case .metrics: .metrics
        case .replicate: .replicate
        case .stored: .stored
        case .promote: .promote
        case .fence: .fence
        }
    }
}
