import EventLog
import LedgerClient
import LedgerJSON
import LedgerProofs
import LedgerProtocol
import LedgerWire
import Logging
import ServiceLifecycle
import Synchronization

/// Follows a primary ledgerd (`replication.primary`, `--follow`): stores its events, byte for byte, at the same
/// positions, so that this ledger's tree is the primary's and its root equal at every size.
///
/// On each connection it first checks that the primary's history extends what is stored here: the primary's
/// consistency proof from this ledger's size must start from this ledger's root and verify (RFC 9162). A primary
/// that fails (a rewritten history, or one behind this ledger) is refused: replication stops for good with an error
/// in the log, `STATUS` shows `"state": "refused"` and the reason, and what is stored here is kept as it was. Then it
/// reads the log from the next position a page at a time (`REPLICATE`, which tells the primary what is stored here
/// and, once caught up, waits for new events; the next page is read while one is stored) and appends each page
/// through the writer, one request per run of events of a stream, each with its stream's exact expected version, the
/// primary's envelopes stored as they are (`ReplicatedEnvelope`). Once this ledger holds the tree the primary's proof
/// ended at, and whenever the two are at the same size, their roots must be equal. A dropped connection is retried
/// every `retryInterval`, checking the primary again.
///
/// Epochs: on each connection it learns the primary's epoch (its `STATUS`) and records it (`ReplicationEpoch`); a
/// primary of an older epoch than this ledger knows (a former primary, fenced or not yet) is not followed. Promoted
/// (`PROMOTE`, by `Replication`), it stops following and, from then on, tells the primary it followed that a newer
/// epoch has begun (`FENCE`), every `retryInterval` until that primary has heard it.
final class ReplicationFollower: Service, Sendable, CustomStringConvertible {
    /// What `STATUS` shows of the replication.
    struct Progress: Sendable {
        enum State: String, Sendable {
            case connecting, following, refused
        }
        var state = State.connecting
        /// The primary's head when last asked (its `STATUS`, at most every `statusInterval`).
        var primaryHead: UInt64 = 0
        /// Why the last connection ended, or why the primary was refused.
        var problem: String?
        /// The primary's epoch when last asked.
        var primaryEpoch: UInt64?
        /// Following stops for good (a promotion).
        var stopping = false
        /// The task following the primary, while it runs.
        var following: Task<Void, Never>?
        /// Once promoted: whether the former primary has been fenced.
        var fenced = false
        /// The tree the primary's consistency proof ended at, until this ledger has stored that far: its root here
        /// must be the one the primary proved.
        var proved: (size: UInt64, root: MerkleHash)?
    }

    /// Events asked for per `REPLICATE`.
    static let pageSize = 4096
    static let retryInterval = Duration.seconds(1)
    static let statusInterval = Duration.seconds(1)
    /// The longest a request to the primary may go unanswered before its connection is closed (and made again).
    static let requestTimeout = Duration.seconds(30)

    let primary: String
    /// Where this daemon is reached, which a fence tells the former primary.
    let address: String
    let log: EventLog
    let writer: GroupCommitWriter
    let logger: Logger
    let progress = Mutex(Progress())
    /// Opened once this ledger leads (promoted now, or when it started).
    let promoted = Latch()

    var description: String { "replication follower" }

    /// The client certificate for a primary at a `tls://` address.
    let tls: TLSFiles?

    init(primary: String, tls: TLSFiles?, address: String, log: EventLog, writer: GroupCommitWriter, logger: Logger) {
        self.primary = primary
        self.tls = tls
        self.address = address
        self.log = log
        self.writer = writer
        self.logger = logger
    }

    /// `STATUS`'s `replication` object on a follower.
    var status: JSONValue {
        let now = progress.withLock { $0 }
        var json: [String: JSONValue] = [
            "role": "follower", "primary": .string(primary), "state": .string(now.state.rawValue),
            "position": .number(.init(log.head.position)), "primaryHead": .number(.init(now.primaryHead)),
            "lagEvents": .number(.init(lag)),
        ]
        if let problem = now.problem { json["problem"] = .string(problem) }
        return .object(json)
    }

    /// How far this ledger is behind the primary's head when last asked, in events.
    var lag: UInt64 {
        let (primaryHead, head) = (progress.withLock { $0.primaryHead }, log.head.position)
        return primaryHead - min(head, primaryHead)
    }

    /// Whether the primary was refused.
    var isRefused: Bool { progress.withLock { $0.state == .refused } }

    /// The primary's epoch when last asked, nil before it was.
    var primaryEpoch: UInt64? { progress.withLock { $0.primaryEpoch } }

    /// Once this ledger leads: whether the primary it followed has been told (`FENCE`).
    var formerPrimaryFenced: Bool { progress.withLock { $0.fenced } }

    func run() async {
        await cancelWhenGracefulShutdown {
            if self.log.epoch?.leads == true {
                self.logger.warning(
                    "this ledger was promoted: replication.primary is only fenced, not followed",
                    metadata: ["formerPrimary": "\(self.primary)", "epoch": "\(self.log.epoch?.number ?? 0)"]
                )
                // A copy of a promoted ledger (its data directory copied) steps down here when the primary leads.
                guard await self.fenceFormerPrimary() == .steppedDown else { return }
            }
            await self.followUntilStopped()
            // Refused, or stopped for a promotion: the daemon goes on serving what is stored here.
            while !Task.isCancelled {
                guard await self.promoted.wait(timeout: .seconds(60)) else { continue }
                _ = await self.fenceFormerPrimary()
                return
            }
        }
        try? await gracefulShutdown()
    }

    /// Follows the primary in a task of its own, which `stopFollowing` can end, until it ends.
    private func followUntilStopped() async {
        let task = progress.withLock { progress in
            guard !progress.stopping else { return Task<Void, Never> {} }
            let task = Task { await self.follow() }
            progress.following = task
            return task
        }
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Stops following for good and returns once nothing more from the primary is being stored (a request in flight
    /// to a primary that does not answer is abandoned: its connection is closed).
    func stopFollowing() async {
        let task = progress.withLock { progress in
            progress.stopping = true
            return progress.following
        }
        task?.cancel()
        await task?.value
    }

    /// Tells the follower that this ledger now leads (its epoch recorded): it fences the primary it followed.
    func leads() {
        promoted.open()
    }

    /// Runs `body` on a new connection to the primary and closes it after; closes it at once when the task is
    /// cancelled, so that a request to a primary that stopped answering does not hold the task.
    func withPrimary(_ body: (LedgerConnection) async throws -> Void) async throws {
        let connection = try await LedgerConnection.connect(to: primary, tls: tls)
        do {
            try await withTaskCancellationHandler {
                try await body(connection)
            } onCancel: {
                Task { await connection.close() }
            }
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Follows until cancelled or the primary is refused.
    private func follow() async {
        while !Task.isCancelled {
            do {
                try await withPrimary { connection in try await follow(over: connection) }
            } catch let refusal as Refusal {
                progress.withLock { ($0.state, $0.problem) = (.refused, refusal.reason) }
                logger.error(
                    "replication refused: this follower keeps what it has and stores nothing more from the primary",
                    metadata: [
                        "primary": "\(primary)", "reason": "\(refusal.reason)", "position": "\(log.head.position)",
                    ]
                )
                return
            } catch is CancellationError {
                return
            } catch {
                let problem = "\(error)"
                let first = progress.withLock { progress in
                    defer { (progress.state, progress.problem) = (.connecting, problem) }
                    return progress.problem != problem
                }
                if first {
                    logger.warning(
                        "replication interrupted; retrying every second",
                        metadata: ["primary": "\(primary)", "error": "\(problem)"]
                    )
                }
            }
            try? await Task.sleep(for: Self.retryInterval)
        }
    }

    /// Checks the primary, then stores its log from this ledger's head on, until the connection fails.
    private func follow(over connection: LedgerConnection) async throws {
        try await checkEpoch(of: connection)
        try await check(connection)
        progress.withLock { ($0.state, $0.problem) = (.following, nil) }
        logger.notice("following the primary", metadata: ["primary": "\(primary)", "position": "\(log.head.position)"])
        var asked = ContinuousClock.now - Self.statusInterval
        var page = try await next(after: log.head.position, over: connection)
        while !Task.isCancelled {
            if ContinuousClock.now - asked >= Self.statusInterval {
                let deadline = ConnectionDeadline(connection, within: Self.requestTimeout)
                defer { deadline.cancel() }
                let status = try await connection.status()
                let theirs = Self.epoch(of: status)
                guard let theirs, theirs == progress.withLock({ $0.primaryEpoch }),
                    theirs >= log.epoch?.number ?? theirs, !Self.isFenced(status)
                else {
                    throw EpochChange(reason: "the primary's epoch or role changed")
                }
                // At the same size, the same tree: the primary's root is this ledger's.
                let own = log.head
                if status.head == own.position, status.root != own.root.description {
                    throw Refusal(
                        "at \(own.position) events the primary's root is \(status.root), this follower's \(own.root)"
                    )
                }
                progress.withLock { $0.primaryHead = status.head }
                asked = .now
            }
            // The next page is asked for while this one is stored, and the primary told at once when it is (`STORED`),
            // so that its appends waiting for this follower need not wait for that request's turn.
            let after = page.last?.position ?? log.head.position
            async let following = next(after: after, over: connection)
            try await store(page)
            if !page.isEmpty { connection.announceStored(log.head.position) }
            page = try await following
        }
    }

    /// The primary's page of events after `position`, telling it what this ledger holds now (`REPLICATE`: when
    /// there is nothing after, the primary waits up to a second for new events).
    private func next(after position: UInt64, over connection: LedgerConnection) async throws -> [ReplicatedEnvelope] {
        let deadline = ConnectionDeadline(connection, within: Self.requestTimeout)
        defer { deadline.cancel() }
        let envelopes = try await connection.replicate(
            from: position + 1,
            stored: log.head.position,
            limit: Self.pageSize
        )
        return try envelopes.map { bytes in
            do {
                return try ReplicatedEnvelope(bytes)
            } catch {
                throw Refusal("the primary sent an event that is not a stored envelope: \(error)")
            }
        }
    }

    /// Learns the primary's epoch and records it here; a primary of an older epoch than this ledger knows, or one
    /// fenced, is not followed (for now: it is asked again on the next connection).
    private func checkEpoch(of connection: LedgerConnection) async throws {
        let deadline = ConnectionDeadline(connection, within: Self.requestTimeout)
        defer { deadline.cancel() }
        let status = try await connection.status()
        guard let theirs = Self.epoch(of: status) else {
            throw EpochChange(reason: "the primary at \(primary) gives an epoch below 1 in its STATUS")
        }
        progress.withLock { $0.primaryEpoch = theirs }
        if Self.isFenced(status) {
            throw EpochChange(reason: "the primary at \(primary) was fenced: a newer primary leads epoch \(theirs)")
        }
        let own = log.epoch
        if let own, own.number > theirs {
            throw EpochChange(
                reason: "the primary at \(primary) is at epoch \(theirs), older than epoch \(own.number) known here"
                    + (own.primary.map { " (whose primary is \($0))" } ?? "") + ": it is a former primary"
            )
        }
        let learned = ReplicationEpoch(number: theirs, leads: false, primary: primary)
        if own != learned {
            try await writer.record(learned)
        }
    }

    /// A primary's epoch as its `STATUS` gives it (a primary that does not give one is in the first); nil when it
    /// gives one below 1.
    private static func epoch(of status: ServerStatus) -> UInt64? {
        guard let given = status.json["replication"]?["epoch"] else { return ReplicationEpoch.first }
        return given.int64Value.flatMap(UInt64.init(exactly:)).flatMap { $0 >= ReplicationEpoch.first ? $0 : nil }
    }

    /// Whether a primary's `STATUS` says it was fenced.
    private static func isFenced(_ status: ServerStatus) -> Bool {
        status.json["replication"]?["role"]?.stringValue == Replication.Role.fencedName
    }

    /// Refuses a primary whose history does not extend this ledger's.
    private func check(_ connection: LedgerConnection) async throws {
        let own = log.head
        let proof: ConsistencyProof
        let deadline = ConnectionDeadline(connection, within: Self.requestTimeout)
        defer { deadline.cancel() }
        do {
            proof = try await connection.consistencyProof(from: own.position)
        } catch {
            guard case .server(code: .notFound, _, _) = error else { throw error }
            throw Refusal("the primary's log is shorter than this follower's \(own.position) events")
        }
        guard proof.oldSize == own.position, proof.oldRoot == own.root else {
            throw Refusal(
                "the primary's tree of \(own.position) events has root \(proof.oldRoot), this follower's \(own.root): "
                    + "the primary's history is not the one replicated here"
            )
        }
        do {
            try MerkleProofs.verifyConsistency(
                oldSize: proof.oldSize,
                newSize: proof.newSize,
                oldRoot: proof.oldRoot,
                newRoot: proof.newRoot,
                proof: proof.path
            )
        } catch {
            throw Refusal("the primary's consistency proof from \(own.position) events does not verify: \(error)")
        }
        progress.withLock { ($0.primaryHead, $0.proved) = (proof.newSize, (proof.newSize, proof.newRoot)) }
    }

    /// Appends `events` (the next positions of the primary's log), the primary's bytes stored unchanged, and checks
    /// that each went to its position.
    private func store(_ events: [ReplicatedEnvelope]) async throws {
        guard !events.isEmpty else { return }
        var requests = [AppendRequest]()
        var start = events.startIndex
        while start < events.endIndex {
            let stream = events[start].stream
            var end = start + 1
            while end < events.endIndex, events[end].stream == stream, end - start < AppendRequest.maxEvents {
                end += 1
            }
            requests.append(try Self.request(events[start..<end]))
            start = end
        }
        let first = log.head.position + 1
        for (offset, event) in events.enumerated() where event.position != first + UInt64(offset) {
            throw Refusal("the primary sent position \(event.position) where \(first + UInt64(offset)) was due")
        }
        let results = await Self.append(requests, to: writer)
        var position = first
        for (request, result) in zip(requests, results) {
            let appended: AppendResult
            switch result {
            case .success(let stored):
                appended = stored
            case .failure(.storageFull(let reason)), .failure(.storage(let reason)):
                throw StoreFailure(reason: "position \(position): \(reason)")
            case .failure(.shuttingDown):
                throw CancellationError()
            case .failure(.invalidArgument(let reason)):
                // An earlier request of the page failed: this one was not stored elsewhere.
                throw StoreFailure(reason: reason)
            case .failure(let error):
                throw Refusal("the primary's events from position \(position) cannot be stored here: \(error)")
            }
            guard appended.first == position, !appended.duplicate else {
                throw Refusal("the primary's event at \(position) was stored at \(appended.first)")
            }
            position += UInt64(request.events.count)
        }
        try checkProvedRoot()
        progress.withLock { $0.primaryHead = max($0.primaryHead, log.head.position) }
    }

    /// Once this ledger holds the tree the primary's consistency proof ended at, checks that its root here is the
    /// proved one: the events sent are the ones the primary's tree was made of.
    private func checkProvedRoot() throws {
        guard let proved = progress.withLock({ $0.proved }), log.head.position >= proved.size else { return }
        let root = try log.root(size: proved.size)
        guard root == proved.root else {
            throw Refusal(
                "this follower's tree of \(proved.size) events has root \(root), the primary proved \(proved.root): "
                    + "the events it sent are not those of its tree"
            )
        }
        progress.withLock { $0.proved = nil }
    }

    /// One run of a stream's events as the append that stores them, at their versions.
    private static func request(_ events: ArraySlice<ReplicatedEnvelope>) throws -> AppendRequest {
        let first = events[events.startIndex]
        for (index, event) in events.enumerated() where event.version != first.version + UInt64(index) {
            throw Refusal("the primary's event at \(event.position) is not its stream's next version")
        }
        return try AppendRequest(
            stream: first.stream,
            expected: .exact(first.version - 1),
            events: events.map(\.event),
            position: first.position
        )
    }

    /// Submits `requests` in order (they commit in that order) and waits for every result.
    private static func append(
        _ requests: [AppendRequest],
        to writer: GroupCommitWriter
    ) async -> [Result<AppendResult, EventLogError>] {
        let collected = Collected(count: requests.count)
        return await withCheckedContinuation { continuation in
            for (index, request) in requests.enumerated() {
                writer.submit(request) { result in
                    if let all = collected.add(result, at: index) { continuation.resume(returning: all) }
                }
            }
        }
    }

    /// Why a page could not be stored here for now (a full disk, say): the connection is made again later.
    struct StoreFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { "cannot store the primary's events: \(reason)" }
    }

    /// Why a primary is not followed for now: its epoch is older than this ledger's, or it was fenced.
    struct EpochChange: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// Why a primary is refused for good.
    struct Refusal: Error, CustomStringConvertible {
        let reason: String
        init(_ reason: String) { self.reason = reason }
        var description: String { reason }
    }
}

/// The results of requests submitted together, as they complete.
private final class Collected: Sendable {
    private let state: Mutex<(remaining: Int, results: [Result<AppendResult, EventLogError>?])>

    init(count: Int) {
        state = Mutex((count, Array(repeating: nil, count: count)))
    }

    /// Records one result; returns all of them once the last has come.
    func add(_ result: Result<AppendResult, EventLogError>, at index: Int) -> [Result<AppendResult, EventLogError>]? {
        state.withLock { state in
            precondition(state.results[index] == nil, "a request completes once")
            state.results[index] = result
            state.remaining -= 1
            return state.remaining == 0 ? state.results.compactMap { $0 } : nil
        }
    }
}
