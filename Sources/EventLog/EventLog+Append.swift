import LMDB
import LedgerProofs

extension EventLog {
    /// Appends many requests in one durable write transaction; each gets its own result.
    ///
    /// A request that fails its checks (expected version, conflicting duplicate id) writes nothing and does not
    /// affect the others. A storage failure (full disk, map at its maximum) fails every request in the call and
    /// leaves the log as it was. Callers are serialised; returns only after the transaction is durable.
    public func append(_ requests: [AppendRequest]) -> [Result<AppendResult, EventLogError>] {
        writer.withLock { state in
            do {
                let (results, newState) = try environment.write { txn in
                    try Self.commitBody(requests, state: state, databases: databases, txn: txn)
                }
                state = newState
                publish(Head(position: newState.tree.size, root: newState.tree.root))
                return results
            } catch let error as LMDBError {
                return Array(repeating: .failure(.from(error)), count: requests.count)
            } catch let error as EventLogError {
                return Array(repeating: .failure(error), count: requests.count)
            } catch {
                return Array(repeating: .failure(.storage("\(error)")), count: requests.count)
            }
        }
    }

    /// Appends one request (convenience over the batch form).
    public func append(_ request: AppendRequest) throws(EventLogError) -> AppendResult {
        guard let result = append([request]).first else { throw .storage("no result") }
        return try result.get()
    }

    /// The body of one write transaction; pure apart from `txn`, so it can run again after the map grows.
    private static func commitBody(
        _ requests: [AppendRequest],
        state: WriterState,
        databases: Databases,
        txn: Transaction
    ) throws -> ([Result<AppendResult, EventLogError>], WriterState) {
        var tree = state.tree
        let startSize = tree.size
        var newLeaves = [UInt8]()
        let recorded = max(RecordedTime.now().microseconds, state.lastRecorded)
        let recordedJSON = Envelope.quoted(RecordedTime(microseconds: recorded).description)
        var envelope = [UInt8]()
        envelope.reserveCapacity(1024)
        var results = [Result<AppendResult, EventLogError>]()
        results.reserveCapacity(requests.count)

        for request in requests {
            let current: UInt64
            switch try check(request, txn: txn, databases: databases) {
            case .duplicate(let result):
                results.append(.success(result))
                continue
            case .refused(let error):
                results.append(.failure(error))
                continue
            case .accepted(let version):
                current = version
            }
            // The stream index key, stream + 0 + version, rewritten in place for each event.
            var streamKey = Array(request.stream.utf8)
            streamKey.append(0)
            let versionOffset = streamKey.count
            streamKey.append(contentsOf: repeatElement(0, count: 8))
            let streamJSON = Envelope.quoted(request.stream)
            var version = current
            let first = tree.size + 1
            for event in request.events {
                version += 1
                let position = tree.size + 1
                envelope.removeAll(keepingCapacity: true)
                Envelope.write(
                    position: position,
                    streamJSON: streamJSON,
                    version: version,
                    event: event,
                    recordedJSON: recordedJSON,
                    to: &envelope
                )
                streamKey.withUnsafeMutableBytes {
                    $0.storeBytes(of: version.bigEndian, toByteOffset: versionOffset, as: UInt64.self)
                }
                try withUnsafeBytes(of: position.bigEndian) { key in
                    try envelope.withUnsafeBytes { value in
                        try txn.put(databases.events, key: key, value: value, flags: .append)
                    }
                    try event.id.bytes.withUnsafeBytes { id in
                        try txn.put(databases.ids, key: id, value: key, flags: .noOverwrite)
                    }
                    try streamKey.withUnsafeBytes { try txn.put(databases.streams, key: $0, value: key) }
                }
                let leaf = envelope.withUnsafeBytes { MerkleHash.leaf($0) }
                tree.append(leaf)
                leaf.append(to: &newLeaves)
            }
            results.append(.success(AppendResult(first: first, last: tree.size, version: version, duplicate: false)))
        }

        guard tree.size > startSize else { return (results, state) }
        let tail = try writeLeafChunks(state.tailChunk + newLeaves, from: startSize, txn: txn, databases: databases)
        let newState = WriterState(tree: tree, tailChunk: tail, lastRecorded: recorded)
        try txn.put(databases.meta, key: stateKey, value: newState.encoded)
        return (results, newState)
    }

    /// Writes the leaf hashes from the chunk holding position `startSize + 1` on; returns the new partial tail.
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
            offset = end
            chunk += 1
        }
        return []
    }

    private enum Check {
        case accepted(currentVersion: UInt64)
        case duplicate(AppendResult)
        case refused(EventLogError)
    }

    /// Decides, before anything is written, whether a request is a retry of stored events, conflicts, or goes in.
    private static func check(_ request: AppendRequest, txn: Transaction, databases: Databases) throws -> Check {
        var stored = [DecodedEvent]()
        for event in request.events {
            guard
                let position = try event.id.bytes.withUnsafeBytes({ try txn.get(databases.ids, key: $0) })
                    .flatMap(BigEndian.uint64)
            else { continue }
            guard let existing = try Self.event(at: position, in: txn, databases: databases)?.decoded() else {
                return .refused(.integrity(position: position, message: "id index points at no event"))
            }
            guard existing.stream == request.stream, existing.type == event.type,
                existing.data == event.data, existing.meta == event.meta
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
        let current = try databases.version(of: request.stream, in: txn)
        guard request.expected.isSatisfied(byCurrent: current) else {
            return .refused(.wrongExpectedVersion(stream: request.stream, expected: request.expected, actual: current))
        }
        return .accepted(currentVersion: current)
    }
}
