import DurableFiles
import LMDB
import LedgerJSON
import LedgerProofs
import LedgerWire

extension EventLog {
    /// Appends many requests in one durable write transaction; each gets its own result.
    ///
    /// A request that fails its checks (expected version, conflicting duplicate id) writes nothing and does not
    /// affect the others. A storage failure (full disk, map at its maximum) fails every request in the call and
    /// leaves the log as it was. `checkpoints` and `signedCheckpoints` are saved in the same transaction. Callers
    /// are serialised; returns only after the transaction is durable.
    public func append(
        _ requests: [AppendRequest],
        checkpoints: [ProjectionCheckpoint] = [],
        signedCheckpoints: [SignedCheckpointRecord] = []
    ) -> [Result<AppendResult, EventLogError>] {
        var requests = requests
        return commit(&requests, checkpoints: checkpoints, signedCheckpoints: signedCheckpoints).results
    }

    /// Appends as `append(_:checkpoints:signedCheckpoints:)` does, storing consumers' acknowledged positions in the
    /// same transaction, and returns the transaction's own outcome too (a failure when nothing was written).
    ///
    /// With `answer`, the results may be handed to it as soon as the journal holds the events durably, before LMDB
    /// commits them (then `answered` is true and they are the results returned; `requests` is emptied first, so that
    /// the caller's copies are their last): when the transaction writes nothing but events, at most `maxEarlyEvents`
    /// of them, and `Environment.reserve` found room for more pages than they can add (`growthBound`), so that the
    /// commit does not run out of map or disk. `answer` then runs inside the write transaction, on this thread: it
    /// must not read the log (reads wait for that commit, `ApplyBarrier`) or append. Should the commit fail all the
    /// same, the process stops and the next start redoes the answered events from the journal.
    public func commit(
        _ requests: inout [AppendRequest],
        checkpoints: [ProjectionCheckpoint] = [],
        signedCheckpoints: [SignedCheckpointRecord] = [],
        consumerPositions: [String: UInt64] = [:],
        answer: (@Sendable ([Result<AppendResult, EventLogError>]) -> Void)? = nil
    ) -> (results: [Result<AppendResult, EventLogError>], transaction: Result<Void, EventLogError>, answered: Bool) {
        writer.withLock { state in
            // What the journal does not hold must be durable before it is answered (consumers' positions, signed
            // checkpoints), and a commit no journal record covers must not be left unsynced (checkpoints alone): such
            // a commit is synced by LMDB itself, then made a durable point.
            let unjournaled = !consumerPositions.isEmpty || !signedCheckpoints.isEmpty || !checkpoints.isEmpty
            let answersEarly =
                answer != nil && !unjournaled && Self.answersEarly(requests)
                && Self.growthBound(requests).map(environment.reserve) == true
            var answered = false
            // Whether the journal holds all the transaction wrote (`cover`'s answer); otherwise LMDB synced it and
            // it is made a durable point before anyone is answered.
            var journaled = false
            let results: [Result<AppendResult, EventLogError>]
            do {
                let outcome: CommitOutcome
                (results, outcome) = try journal.withLock { (journal) throws in
                    var record = [UInt8]()
                    var mark: Journal.Mark?
                    return try environment.writeCovered(
                        { txn in
                            try Self.write(checkpoints, txn: txn, databases: databases)
                            try Self.write(signedCheckpoints, txn: txn, databases: databases)
                            try Self.write(consumerPositions, txn: txn, databases: databases)
                            return try Self.commitBody(
                                requests,
                                state: state,
                                databases: databases,
                                txn: txn,
                                record: &record
                            )
                        },
                        cover: { (results, outcome) throws in
                            let events = outcome.tree.size > state.tree.size
                            if events {
                                mark = try journal.append(record, first: state.tree.size + 1, last: outcome.tree.size)
                                if answersEarly, let answer {
                                    barrier.acknowledge(through: outcome.tree.size)
                                    publish(Head(position: outcome.tree.size, root: outcome.tree.root))
                                    answered = true
                                    requests.removeAll()
                                    answer(results)
                                }
                            }
                            // Checkpoints beside events ride on their record: a return to the durable point drops
                            // both, and the fold saves them again.
                            journaled =
                                events && consumerPositions.isEmpty && signedCheckpoints.isEmpty || !unjournaled
                            return journaled
                        },
                        uncover: {
                            if answered {
                                fatalError("LMDB could not commit events already answered; restart to redo them")
                            }
                            if let covered = mark { journal.undo(covered) }
                            mark = nil
                        }
                    )
                }
                outcome.apply(to: &state)
                publish(Head(position: state.tree.size, root: state.tree.root))
                if answered { barrier.apply(through: state.tree.size) }
            } catch {
                precondition(!answered, "a transaction answered early commits or stops the process")
                let failure = Self.classified(error)
                return (Array(repeating: .failure(failure), count: requests.count), .failure(failure), false)
            }
            // The events are committed and journaled: a durable point that fails fails only what waits for it.
            do throws(EventLogError) {
                try reachDurablePoint(now: !journaled, head: state.tree.size)
                return (results, .success(()), answered)
            } catch {
                return (results, .failure(error), answered)
            }
        }
    }

    /// The most events a transaction answers before LMDB commits it: the bigger ones gain little (their time is in the
    /// work, not the commit's tail) and would need much room reserved (`growthBound`).
    static let maxEarlyEvents = 256

    /// Whether `requests` are few enough to be answered before LMDB commits them (`maxEarlyEvents`).
    static func answersEarly(_ requests: [AppendRequest]) -> Bool {
        var events = 0
        for request in requests {
            events += request.events.count
            if events > maxEarlyEvents { return false }
        }
        return events > 0
    }

    /// More than a transaction appending `requests` adds to `data.mdb`: each envelope twice (its page may split), 32
    /// pages per event for the index, leaf-hash, subtree and free-list pages it may touch, and 256 KiB; nil past
    /// `Int.max`.
    static func growthBound(_ requests: [AppendRequest]) -> Int? {
        var bound = 256 << 10
        for request in requests {
            let (pages, pagesOverflow) = request.events.count.multipliedReportingOverflow(by: 128 << 10)
            let (bytes, bytesOverflow) = request.byteCount.multipliedReportingOverflow(by: 2)
            let (sum, sumOverflow) = pages.addingReportingOverflow(bytes)
            let (total, totalOverflow) = bound.addingReportingOverflow(sum)
            guard !pagesOverflow, !bytesOverflow, !sumOverflow, !totalOverflow else { return nil }
            bound = total
        }
        return bound
    }

    /// A failed commit's error as the log reports it.
    private static func classified(_ error: any Error) -> EventLogError {
        switch error {
        case let error as LMDBError: .from(error)
        case let error as EventLogError: error
        case let error as FileError: error.isStorageFull ? .storageFull(error.description) : .storage(error.description)
        default: .storage("\(error)")
        }
    }

    /// Appends one request (convenience over the batch form).
    public func append(_ request: AppendRequest) throws(EventLogError) -> AppendResult {
        guard let result = append([request]).first else { throw .storage("no result") }
        return try result.get()
    }

    /// What one transaction changes in the writer state; applied only once the transaction has committed.
    struct CommitOutcome {
        var tree: MerkleTree
        var tailChunk: [UInt8]
        var lastRecorded: UInt64
        var importedThrough: UInt64
        var maxID: EventID?
        /// The versions this transaction left its streams at.
        var streamVersions: [String: UInt64] = [:]

        init(_ state: WriterState) {
            tree = state.tree
            tailChunk = state.tailChunk
            lastRecorded = state.lastRecorded
            importedThrough = state.importedThrough
            maxID = state.maxID
        }

        func apply(to state: inout WriterState) {
            state.tree = tree
            state.tailChunk = tailChunk
            state.lastRecorded = lastRecorded
            state.importedThrough = importedThrough
            state.maxID = maxID
            state.streamVersions.merge(streamVersions)
        }
    }

    /// The body of one write transaction; pure apart from `txn`, so it can run again after the map grows.
    /// The events written go into `record` as a journal record (`JournalRecord`), sealed when there are any.
    /// `replaying` a journal's records, the replication epoch refuses nothing: they were acknowledged under it.
    static func commitBody(
        _ requests: [AppendRequest],
        state: WriterState,
        databases: Databases,
        txn: Transaction,
        record: inout [UInt8],
        replaying: Bool = false
    ) throws -> ([Result<AppendResult, EventLogError>], CommitOutcome) {
        var outcome = CommitOutcome(state)
        let startSize = outcome.tree.size
        JournalRecord.begin(&record, first: startSize + 1)
        var newLeaves = [UInt8]()
        let now = RecordedTime.now().microseconds
        // The recorded time's JSON, rebuilt only when it changes (imports carry their own times).
        var recordedJSON = (microseconds: UInt64.max, bytes: [UInt8]())
        var envelope = [UInt8]()
        envelope.reserveCapacity(1024)
        // Each request's stream index key (stream + 0 + version, the version rewritten in place for each event) and
        // stream name as a JSON string, in buffers reused from request to request.
        var streamKey = [UInt8]()
        var streamJSON = [UInt8]()
        var results = [Result<AppendResult, EventLogError>]()
        results.reserveCapacity(requests.count)

        for request in requests {
            if !replaying, let refusal = ReplicationEpoch.refusal(of: request, under: state.epoch) {
                results.append(.failure(refusal))
                continue
            }
            if let expected = request.position, expected != outcome.tree.size + 1 {
                let next = outcome.tree.size + 1
                results.append(.failure(.invalidArgument("events for position \(expected) would go to \(next)")))
                continue
            }
            let versionOf = VersionLookup(
                written: outcome.streamVersions,
                cached: state.streamVersions,
                txn: txn,
                databases: databases
            )
            let current: UInt64
            switch try check(request, maxID: outcome.maxID, version: versionOf, txn: txn, databases: databases) {
            case .duplicate(let result):
                results.append(.success(result))
                continue
            case .refused(let error):
                results.append(.failure(error))
                continue
            case .accepted(let version):
                current = version
            }
            if let refusal = Self.replicatedRefusal(request, first: outcome.tree.size + 1, version: current) {
                results.append(.failure(refusal))
                continue
            }
            if let refusal = importedTimeRefusal(request.events, outcome: outcome, now: now) {
                results.append(.failure(refusal))
                continue
            }
            streamKey.removeAll(keepingCapacity: true)
            streamKey.append(contentsOf: request.stream.utf8)
            streamKey.append(0)
            let versionOffset = streamKey.count
            streamKey.append(contentsOf: repeatElement(0, count: 8))
            streamJSON.removeAll(keepingCapacity: true)
            JSONValue.writeString(request.stream, to: &streamJSON)
            var version = current
            let first = outcome.tree.size + 1
            for event in request.events {
                version += 1
                let position = outcome.tree.size + 1
                let recorded = event.recorded?.microseconds ?? max(now, outcome.lastRecorded)
                outcome.lastRecorded = recorded
                if event.recorded != nil, outcome.importedThrough == position - 1 {
                    outcome.importedThrough = position
                } else {
                    precondition(event.recorded == nil || event.isReplicated, "an import continues an imported prefix")
                }
                if recordedJSON.microseconds != recorded {
                    recordedJSON = (recorded, Envelope.quoted(RecordedTime(microseconds: recorded).description))
                }
                envelope.removeAll(keepingCapacity: true)
                if let stored = event.stored {
                    envelope.append(contentsOf: stored)
                } else {
                    Envelope.write(
                        position: position,
                        streamJSON: streamJSON,
                        version: version,
                        event: event,
                        recordedJSON: recordedJSON.bytes,
                        to: &envelope
                    )
                }
                streamKey.withUnsafeMutableBytes {
                    $0.storeBytes(of: version.bigEndian, toByteOffset: versionOffset, as: UInt64.self)
                }
                // An id above every stored one goes at the end of the index, without a search.
                let isNewest = isAboveIndex(event.id, maxID: outcome.maxID)
                try withUnsafeBytes(of: position.bigEndian) { key in
                    try envelope.withUnsafeBytes { value in
                        try txn.put(databases.events, key: key, value: value, flags: .append)
                    }
                    try event.id.withUnsafeBytes { id in
                        try txn.put(databases.ids, key: id, value: key, flags: isNewest ? .append : .noOverwrite)
                    }
                    try streamKey.withUnsafeBytes { try txn.put(databases.streams, key: $0, value: key) }
                }
                if isNewest { outcome.maxID = event.id }
                let leaf = envelope.withUnsafeBytes { bytes in
                    JournalRecord.append(envelope: bytes, to: &record)
                    return MerkleHash.leaf(bytes)
                }
                outcome.tree.append(leaf)
                precondition(outcome.tree.size == position, "an event's position is the tree's size once it is in")
                leaf.append(to: &newLeaves)
            }
            precondition(
                version == current + UInt64(request.events.count) && outcome.tree.size == first - 1 + version - current,
                "a request's events take the stream's next versions and the log's next positions, without gaps"
            )
            outcome.streamVersions[request.stream] = version
            results.append(
                .success(AppendResult(first: first, last: outcome.tree.size, version: version, duplicate: false))
            )
        }

        guard outcome.tree.size > startSize else { return (results, outcome) }
        JournalRecord.seal(&record, count: Int(outcome.tree.size - startSize), importedThrough: outcome.importedThrough)
        outcome.tailChunk = try writeLeafChunks(
            state.tailChunk + newLeaves,
            from: startSize,
            txn: txn,
            databases: databases
        )
        try StoredSubtrees.storeCompleted(from: startSize, to: outcome.tree.size, txn: txn, databases: databases)
        let stored = WriterState(tree: outcome.tree, tailChunk: outcome.tailChunk, lastRecorded: outcome.lastRecorded)
        try txn.put(databases.meta, key: stateKey, value: stored.encoded)
        if outcome.importedThrough != state.importedThrough {
            try txn.put(databases.meta, key: importedKey, value: BigEndian.bytes(outcome.importedThrough))
        }
        return (results, outcome)
    }

    /// Writes the leaf hashes from the chunk holding position `startSize + 1` on, and the root of each chunk they fill
    /// (`StoredSubtrees`); returns the new partial tail.
    private static func writeLeafChunks(
        _ hashes: [UInt8],
        from startSize: UInt64,
        txn: Transaction,
        databases: Databases
    ) throws -> [UInt8] {
        let chunkBytes = Int(leavesPerChunk) * 32
        var chunk = startSize / leavesPerChunk
        var offset = 0
        while offset < hashes.count {
            let end = min(offset + chunkBytes, hashes.count)
            try txn.put(databases.leaves, key: BigEndian.bytes(chunk), value: Array(hashes[offset..<end]))
            if end - offset < chunkBytes { return Array(hashes[offset..<end]) }
            try txn.put(
                databases.subtrees,
                key: StoredSubtrees.key(height: StoredSubtrees.heights[0], index: chunk),
                value: StoredSubtrees.chunkRoot(hashes[offset..<end]).bytes
            )
            offset = end
            chunk += 1
        }
        return []
    }

    /// Stream versions as one request of a transaction sees them: those the transaction has written so far, then the
    /// writer's cache of committed versions, then the stream index.
    private struct VersionLookup {
        let written: [String: UInt64]
        let cached: StreamVersionCache
        let txn: Transaction
        let databases: Databases

        func callAsFunction(_ stream: String) throws -> UInt64 {
            if let known = written[stream] ?? cached[stream] { return known }
            return try databases.version(of: stream, in: txn)
        }
    }

    private enum Check {
        case accepted(currentVersion: UInt64)
        case duplicate(AppendResult)
        case refused(EventLogError)
    }

    /// Decides, before anything is written, whether a request is a retry of stored events, conflicts, or goes in.
    /// Ids above `maxID` cannot be stored and are not looked up; `version` gives a stream's current version.
    private static func check(
        _ request: AppendRequest,
        maxID: EventID?,
        version: VersionLookup,
        txn: Transaction,
        databases: Databases
    ) throws -> Check {
        var stored = [DecodedEvent]()
        for event in request.events where !isAboveIndex(event.id, maxID: maxID) {
            guard let position = try databases.position(of: event.id, in: txn) else { continue }
            guard !event.isReplicated else {
                return .refused(.duplicateID(id: event.id, position: position, message: "the primary sent it again"))
            }
            guard let existing = try Self.event(at: position, in: txn, databases: databases)?.decoded() else {
                return .refused(.integrity(position: position, message: "id index points at no event"))
            }
            // Stored data and meta are canonical, so the same content has the same canonical bytes.
            guard existing.stream == request.stream, existing.type == event.type,
                existing.data.canonicalBytes == event.dataBytes, existing.meta.canonicalBytes == event.metaBytes
            else {
                return .refused(
                    .duplicateID(id: event.id, position: position, message: "stored with different content")
                )
            }
            stored.append(existing)
        }
        if let first = stored.first, let last = stored.last {
            guard stored.count == request.events.count else {
                return .refused(
                    .duplicateID(
                        id: first.id,
                        position: first.position,
                        message: "only \(stored.count) of the \(request.events.count) events in this batch are stored"
                    )
                )
            }
            return .duplicate(
                AppendResult(first: first.position, last: last.position, version: last.version, duplicate: true)
            )
        }
        let current = try version(request.stream)
        guard request.expected.isSatisfied(byCurrent: current) else {
            return .refused(.wrongExpectedVersion(stream: request.stream, expected: request.expected, actual: current))
        }
        if let refusal = try unmet(request.conditions, stream: request.stream, current: current, version: version) {
            return .refused(refusal)
        }
        return .accepted(currentVersion: current)
    }

    /// Why a follower's copies of its primary's envelopes in `request` cannot be stored from position `first`, after
    /// version `version` of its stream: each envelope must name that stream, its position and its version.
    private static func replicatedRefusal(_ request: AppendRequest, first: UInt64, version: UInt64) -> EventLogError? {
        let stream = Array(request.stream.utf8)
        for (index, event) in request.events.enumerated() {
            guard let stored = event.stored else { continue }
            let matches = stored.withUnsafeBufferPointer { bytes in
                guard let head = EnvelopeHead(bytes) else { return false }
                return head.position == first + UInt64(index) && head.version == version + UInt64(index) + 1
                    && bytes[head.stream].elementsEqual(stream)
            }
            guard matches else {
                return .invalidEvent(
                    index: index,
                    field: "envelope",
                    message: "a replicated envelope must name \(request.stream), position \(first + UInt64(index)) "
                        + "and version \(version + UInt64(index) + 1)"
                )
            }
        }
        return nil
    }

    /// Whether `id` sorts above `maxID`, the id index's largest key (nil when the index is empty): such an id cannot
    /// be stored yet, so it is not looked up and goes at the index's end, without a search.
    static func isAboveIndex(_ id: EventID, maxID: EventID?) -> Bool {
        maxID.map { $0 < id } ?? true
    }

    /// How far ahead of the server's clock an imported recorded time may be: 5 minutes, in microseconds.
    public static let importClockSkew: UInt64 = 300_000_000

    /// Why the imported recorded times of `events` cannot be stored after `outcome`, or nil.
    ///
    /// An event may carry its own recorded time only while the ledger is a new ledger being imported (every event
    /// before it carried one too, which an empty ledger satisfies), only up to `importClockSkew` past the server's
    /// clock `now`, and never earlier than the ledger's last recorded time. A follower's copy of its primary's event
    /// (`ProposedEvent.isReplicated`) is only held to the last rule.
    private static func importedTimeRefusal(
        _ events: [ProposedEvent],
        outcome: CommitOutcome,
        now: UInt64
    ) -> EventLogError? {
        var previous = outcome.lastRecorded
        var importedThrough = outcome.importedThrough
        var position = outcome.tree.size
        for (index, event) in events.enumerated() {
            position += 1
            guard let recorded = event.recorded?.microseconds else { continue }
            // A follower's copy keeps its primary's time: only its order is checked.
            if let refusal = event.isReplicated ? nil : importRefusal(recorded, index, importedThrough, position, now) {
                return refusal
            }
            guard recorded >= previous else {
                return .invalidEvent(
                    index: index,
                    field: "recorded",
                    message: "goes backwards: the ledger has already recorded \(RecordedTime(microseconds: previous))"
                )
            }
            previous = recorded
            importedThrough = position
        }
        return nil
    }

    /// Why an imported (not replicated) recorded time cannot be stored at `position`, or nil.
    private static func importRefusal(
        _ recorded: UInt64,
        _ index: Int,
        _ importedThrough: UInt64,
        _ position: UInt64,
        _ now: UInt64
    ) -> EventLogError? {
        guard importedThrough == position - 1 else {
            return .invalidEvent(
                index: index,
                field: "recorded",
                message: "is accepted only while importing into a new ledger; this ledger already holds events "
                    + "recorded by its own clock (positions \(importedThrough + 1) to \(position - 1))"
            )
        }
        guard recorded <= now.addingReportingOverflow(importClockSkew).partialValue else {
            return .invalidEvent(
                index: index,
                field: "recorded",
                message: "is more than \(importClockSkew / 1_000_000) s ahead of the server's clock "
                    + "(\(RecordedTime(microseconds: now)))"
            )
        }
        return nil
    }

    /// The first of `conditions` that does not hold, as the refusal to answer with.
    private static func unmet(
        _ conditions: StreamConditions,
        stream: String,
        current: UInt64,
        version: VersionLookup
    ) throws -> EventLogError? {
        switch conditions.ownStream {
        case .new where current > 0:
            return .invalidEvent(index: 0, field: "stream", message: "\(stream) already exists; this event creates it")
        case .existing where current == 0:
            return .invalidEvent(index: 0, field: "stream", message: "\(stream) does not exist")
        default:
            break
        }
        for reference in conditions.references where reference.stream != stream {
            guard try version(reference.stream) > 0 else {
                return .invalidEvent(
                    index: reference.index,
                    field: reference.field,
                    message: "refers to \(reference.stream), which does not exist"
                )
            }
        }
        return nil
    }
}
