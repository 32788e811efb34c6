import LMDB
import LedgerJSON

/// Which replication epoch a ledger is in, and whether it leads it: `meta/epoch`, written only by promotion, by
/// a follower learning its primary's epoch, and by a fence.
///
/// A ledger that never took part in replication has none, and takes appends unless the daemon is configured to
/// follow. The writer enforces the record in the transaction that would write: a ledger that does not lead takes
/// no clients' appends (`EventLogError.readOnly`), and one that leads stores no other ledger's events (requests
/// with a `position`).
public struct ReplicationEpoch: Sendable, Hashable, CustomStringConvertible {
    /// The epoch: 1 for the first primary, one more with each promotion.
    public var number: UInt64
    /// Whether this ledger is the primary of `number` (it was promoted to it).
    public var leads: Bool
    /// The primary of `number`, when this ledger does not lead and knows where it is.
    public var primary: String?

    public init(number: UInt64, leads: Bool, primary: String? = nil) {
        precondition(number >= 1, "epochs start at 1")
        self.number = number
        self.leads = leads
        self.primary = leads ? nil : primary
    }

    /// The epoch of a primary that has no record: the first.
    public static let first: UInt64 = 1

    public var description: String {
        leads ? "primary of epoch \(number)" : "epoch \(number), primary \(primary ?? "unknown")"
    }

    static let key = Array("epoch".utf8)

    /// `{"epoch":n,"leads":bool[,"primary":"..."]}`.
    var encoded: [UInt8] {
        var json: [String: JSONValue] = ["epoch": .number(.init(Int64(clamping: number))), "leads": .bool(leads)]
        if let primary { json["primary"] = .string(primary) }
        return JSONValue.object(json).canonicalBytes
    }

    init?(encoded: [UInt8]) {
        guard let json = try? JSONParser.parse(encoded),
            let number = json["epoch"]?.int64Value.flatMap(UInt64.init(exactly:)), number >= 1,
            let leads = json["leads"]?.boolValue
        else { return nil }
        self.init(number: number, leads: leads, primary: json["primary"]?.stringValue)
    }

    /// The stored record in `txn`, nil when there is none.
    static func read(in txn: Transaction, databases: Databases) throws -> ReplicationEpoch? {
        guard let bytes = try txn.getBytes(databases.meta, key: key) else { return nil }
        guard let epoch = ReplicationEpoch(encoded: bytes) else {
            throw EventLogError.integrity(position: 0, message: "the stored replication epoch is malformed")
        }
        return epoch
    }

    /// Why the writer refuses `request` under `epoch`, if it does.
    static func refusal(of request: AppendRequest, under epoch: ReplicationEpoch?) -> EventLogError? {
        guard let epoch else { return nil }
        switch (request.position != nil, epoch.leads) {
        case (false, false):
            return .readOnly(epoch: epoch.number, primary: epoch.primary)
        case (true, true):
            return .invalidArgument("this ledger is the primary of epoch \(epoch.number): it stores no other's events")
        default:
            return nil
        }
    }
}

extension EventLog {
    /// The replication epoch as last recorded; nil when none ever was.
    public var epoch: ReplicationEpoch? { recordedEpoch.withLock { $0 } }

    /// Records `epoch` durably in a transaction of its own. Called by the writer thread (`GroupCommitWriter.record`).
    public func record(_ epoch: ReplicationEpoch) throws(EventLogError) {
        try writer.withLock { (state) throws(EventLogError) in
            do {
                try environment.writeCovered(
                    { txn in try txn.put(databases.meta, key: ReplicationEpoch.key, value: epoch.encoded) },
                    cover: { _ in false },
                    uncover: {}
                )
            } catch let error as LMDBError {
                throw .from(error)
            } catch {
                throw .storage("\(error)")
            }
            // Committed (and synced): the writer judges appends under it from now on, even if the durable point
            // that keeps a later return from undoing it fails (the caller then hears so, and records it again).
            state.epoch = epoch
            recordedEpoch.withLock { $0 = epoch }
            try reachDurablePoint(now: true, head: state.tree.size)
        }
    }
}
