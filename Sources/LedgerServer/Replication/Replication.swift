import EventLog
import LedgerJSON
import LedgerProtocol
import Logging
import Synchronization

/// This daemon's part in replication: whether it takes appends, what `STATUS` shows of it, and the two changes of
/// epoch, `PROMOTE` (this daemon becomes the primary of the next epoch) and `FENCE` (a newer primary tells this one
/// to take no more appends). The epoch itself is recorded in the log (`ReplicationEpoch`), whose writer enforces it.
final class Replication: Sendable {
    /// What this daemon is now.
    enum Role: Equatable {
        /// Takes appends: the primary of `epoch`.
        case primary(epoch: UInt64)
        /// Stores the events of the primary at `primary` (`replication.primary`).
        case follower(primary: String)
        /// Knows of a newer epoch than one it led, and follows no one: takes no appends.
        case fenced(ReplicationEpoch)

        /// `STATUS`'s `role` for a fenced daemon.
        static let fencedName = "fenced"
    }

    let log: EventLog
    let writer: GroupCommitWriter
    /// Where this daemon is reached (its socket): the primary's address when it leads.
    let address: String
    /// Following the configured primary; nil when none is configured.
    let follower: ReplicationFollower?
    /// The followers reading this daemon's log.
    let followers: FollowerRegistry
    private let logger: Logger
    /// A `PROMOTE` or `FENCE` in progress: one at a time.
    private let changing = Mutex(false)

    init(
        log: EventLog,
        writer: GroupCommitWriter,
        address: String,
        follower: ReplicationFollower?,
        followers: FollowerRegistry,
        logger: Logger
    ) {
        self.log = log
        self.writer = writer
        self.address = address
        self.follower = follower
        self.followers = followers
        self.logger = logger
    }

    /// A daemon is fenced when it does not lead its epoch and is not configured to follow the epoch's primary (a
    /// newer primary fenced it, or it follows a primary that was itself fenced since).
    var role: Role {
        let epoch = log.epoch
        if let epoch, epoch.leads { return .primary(epoch: epoch.number) }
        if let follower, epoch?.primary == nil || epoch?.primary == follower.primary {
            return .follower(primary: follower.primary)
        }
        if let epoch { return .fenced(epoch) }
        return .primary(epoch: ReplicationEpoch.first)
    }

    /// Whether this daemon is the primary: it takes appends.
    var takesAppends: Bool {
        guard case .primary = role else { return false }
        return true
    }

    /// How far this daemon is behind the primary it follows, in events (0 when it follows none).
    var followerLag: UInt64 {
        guard case .follower = role else { return 0 }
        return follower?.lag ?? 0
    }

    /// Why an `APPEND` is refused here, if it is (the writer refuses it too, should the role change meanwhile).
    var appendRefusal: ProtocolError? {
        switch role {
        case .primary:
            return nil
        case .follower(let primary):
            let message = "this ledgerd follows the primary at \(primary) and takes no appends; append there"
            return ProtocolError(
                .readOnly,
                message,
                fields: ["primary": .string(primary), "epoch": .number(.init(epochNumber))]
            )
        case .fenced(let epoch):
            return EventLogError.readOnly(epoch: epoch.number, primary: epoch.primary).wire
        }
    }

    /// The epoch this daemon knows.
    private var epochNumber: UInt64 { log.epoch?.number ?? ReplicationEpoch.first }

    /// `STATUS`'s `replication` object.
    func status(head: UInt64) -> JSONValue {
        let epoch = JSONValue.number(.init(epochNumber))
        switch role {
        case .primary:
            var json: [String: JSONValue] = [
                "role": "primary", "epoch": epoch, "followers": followers.status(head: head),
            ]
            if let follower {
                json["formerPrimary"] = [
                    "address": .string(follower.primary), "fenced": .bool(follower.formerPrimaryFenced),
                ]
            }
            return .object(json)
        case .follower:
            guard var json = follower?.status.objectValue else { return [:] }
            json["epoch"] = epoch
            return .object(json)
        case .fenced(let fenced):
            var json: [String: JSONValue] = ["role": .string(Role.fencedName), "epoch": epoch]
            if let primary = fenced.primary { json["primary"] = .string(primary) }
            return .object(json)
        }
    }

    /// `PROMOTE`: stops following, records the next epoch as led by this ledger, and returns `STATUS`-like figures
    /// (`epoch`, `position`, `root`). From then on appends are taken here, and the primary this ledger followed is
    /// fenced as soon as it can be reached. Only a follower, or a ledger that knows of no primary (a restored backup
    /// of one that took part in replication), may be promoted: a daemon fenced by a known primary would make two.
    func promote() async throws(ProtocolError) -> JSONValue {
        try claim("PROMOTE")
        defer { changing.withLock { $0 = false } }
        switch role {
        case .primary(let epoch):
            throw ProtocolError(.badRequest, "PROMOTE: this ledgerd is already the primary of epoch \(epoch)")
        case .fenced(let fenced) where fenced.primary != nil:
            throw ProtocolError(
                .badRequest,
                "PROMOTE: this ledgerd was fenced by the primary of epoch \(fenced.number) at "
                    + "\(fenced.primary ?? "?"); start it with --follow to make it a follower, or promote a follower"
            )
        case .fenced, .follower:
            break
        }
        await follower?.stopFollowing()
        let known = max(log.epoch?.number ?? ReplicationEpoch.first, follower?.primaryEpoch ?? ReplicationEpoch.first)
        guard known < UInt64(Int64.max) else {
            throw ProtocolError(.badRequest, "PROMOTE: epoch \(known) is the last there can be")
        }
        let epoch = ReplicationEpoch(number: known + 1, leads: true)
        do {
            try await writer.record(epoch)
        } catch {
            throw error.wire
        }
        follower?.leads()
        let head = log.head
        logger.notice(
            "promoted: this ledgerd is the primary and takes appends",
            metadata: ["epoch": "\(epoch.number)", "position": "\(head.position)", "root": "\(head.root)"]
        )
        return [
            "epoch": .number(.init(epoch.number)), "position": .number(.init(head.position)),
            "root": .string(head.root.description),
        ]
    }

    /// `FENCE`: records that `primary` leads `number`, a newer epoch than this daemon knows, so that it takes no more
    /// appends; appends still waiting for synchronous followers are answered `READ_ONLY`, not acknowledged. The same
    /// fence again is answered as the first was.
    func fence(epoch number: UInt64, primary: String) async throws(ProtocolError) -> JSONValue {
        try claim("FENCE")
        defer { changing.withLock { $0 = false } }
        let fenced = ReplicationEpoch(number: number, leads: false, primary: primary)
        let own = log.epoch
        guard own != fenced else { return fenceAnswer(fenced) }
        guard number > own?.number ?? ReplicationEpoch.first else {
            let known = own?.leads == false ? own?.primary : address
            throw ProtocolError(
                .staleEpoch,
                "FENCE: this ledgerd knows epoch \(epochNumber)"
                    + (known.map { " (its primary is \($0))" } ?? "") + ", not older than \(number)",
                fields: ["epoch": .number(.init(epochNumber))].merging(known.map { ["primary": .string($0)] } ?? [:]) {
                    first,
                    _ in first
                }
            )
        }
        // Waiting appends are refused before the fence is recorded, so none times out into an acknowledgement meanwhile.
        followers.refuse(with: .readOnly(epoch: number, primary: primary))
        do {
            try await writer.record(fenced)
        } catch {
            followers.withdrawRefusal()
            throw error.wire
        }
        logger.warning(
            "fenced: a newer primary leads; this ledgerd takes no more appends",
            metadata: ["epoch": "\(number)", "primary": "\(primary)", "position": "\(log.head.position)"]
        )
        return fenceAnswer(fenced)
    }

    private func fenceAnswer(_ fenced: ReplicationEpoch) -> JSONValue {
        ["epoch": .number(.init(fenced.number)), "position": .number(.init(log.head.position))]
    }

    private func claim(_ verb: String) throws(ProtocolError) {
        let claimed = changing.withLock { busy in
            defer { busy = true }
            return !busy
        }
        guard claimed else {
            throw ProtocolError(.badRequest, "\(verb): a PROMOTE or FENCE is already in progress; try again")
        }
    }
}
